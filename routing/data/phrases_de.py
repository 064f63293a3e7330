"""German phrasings for the training-set generator (see phrases_en.py for the slots)."""

GREETINGS = ["Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Hallo zusammen,", "Moin,",
             "Liebes aeropressmall-Team,", "", "Hallo Support,", "Servus,"]
CLOSINGS = ["Viele Grüße", "Mit freundlichen Grüßen", "Danke und Gruß", "Beste Grüße", "LG", "",
            "Vielen Dank im Voraus", "Gruß"]
NAMES = ["Jonas Becker", "Anna Schmidt", "Lukas Weber", "Katrin Hoffmann", "Stefan Wagner", "Mia Fischer",
         "Thomas Müller", "Sabine Koch", "Felix Schröder", "Julia Neumann", "Murat Yilmaz"]
MOBILE = ["Von meinem iPhone gesendet", "Gesendet von meinem Samsung Galaxy", "Gesendet von Outlook für Android"]
ACCESSORIES = ["Papierfilter", "Metallfilter", "Flow-Control-Kappe", "Filterhalter", "Ersatzdichtung",
               "Reisetasche", "Trichter", "Edelstahlfilter", "Messlöffel"]
COLORS = ["transparent", "bernsteinfarben", "lila", "schwarz", "blau"]
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember"]
DATE_FORMAT = "{day}. {month}"
ORDER_WORDS = ["Bestellung", "Bestellnummer", "Bestell-Nr.", "Auftrag"]

SUBJECTS = {
    "presales.general": [
        "Frage zur {product}", "Versand nach {country}?", "Gutscheincode funktioniert nicht", "Kurze Frage",
        "Spülmaschinenfest?", "Vor der Bestellung", "Zahlung mit PayPal",
    ],
    "presales.complex": [
        "Beratung für mehrere Modelle", "Rabatte kombinieren?", "Geschenke fürs Team", "Zubehör für drei Pressen",
        "Gesamtpreis mit Gutschein",
    ],
    "wholesale": [
        "Großhandelsanfrage", "Anfrage Wiederverkauf", "Mengenrabatt für {qty} Stück", "Händlerkonditionen",
        "B2B-Anfrage {business}",
    ],
    "order.tracking": [
        "Wo ist meine Bestellung?", "Sendungsverfolgung aktualisiert nicht", "Bestellung {order}",
        "Paket hängt fest", "Lieferdatum", "Paket nicht angekommen",
    ],
    "returns": [
        "Rücksendung", "Retoure Bestellung {order}", "Rücksendeetikett", "Umtausch", "Artikel zurückschicken",
    ],
    "refunds": [
        "Rückerstattung", "Wo bleibt mein Geld?", "Erstattung Bestellung {order}", "Erstattungsbetrag falsch",
        "Erstattung abgelehnt",
    ],
    "complaint.simple": [
        "Beschwerde", "Sehr enttäuscht", "Defekt angekommen", "Unfreundlicher Kundenservice", "Reklamation",
    ],
    "complaint.complex": [
        "Beschwerde zu mehreren Bestellungen", "Letzte Frist vor Rückbuchung", "Eskalation",
        "Mehrere Probleme", "Rechtliche Schritte",
    ],
    "privacy": [
        "Konto löschen", "DSGVO-Auskunft", "Abmeldung Newsletter", "Daten berichtigen", "Löschung meiner Daten",
    ],
}

BODIES = {
    "presales.general": [
        "ich überlege, mir die {product} zu kaufen. Kann man damit auch einen kräftigen, espressoähnlichen "
        "Kaffee machen?",
        "liefert ihr auch nach {country}? Und wie lange dauert der Versand ungefähr?",
        "Ist die {product} spülmaschinenfest? Ich möchte vor dem Kauf sicher sein.",
        "der Gutscheincode {coupon} wird im Warenkorb nicht akzeptiert. Gilt er nur für bestimmte Produkte? Ich "
        "habe noch nicht bestellt.",
        "sind bei der {product} Filter dabei oder muss ich die {accessory} extra kaufen?",
        "Kann ich bei euch mit PayPal oder auf Rechnung bezahlen? An der Kasse sehe ich nur Kreditkarte.",
        "Passt der {accessory} auf die {product}? Ich will nichts Falsches bestellen.",
        "Welches Modell würdet ihr für Camping empfehlen? Es soll möglichst leicht sein.",
        "Gibt es die {product} auch in {color}? Auf der Produktseite sehe ich nur ein Foto.",
        "Fallen beim Versand nach Deutschland Zollgebühren an, wenn ich in USD bezahle?",
    ],
    "presales.complex": [
        "ich möchte für mein Team {qty} Pressen bestellen, gemischt {product} und {product2}, jeweils mit "
        "{accessory}. Was kostet das insgesamt, wenn ich den Bundle-Preis und den Code {coupon} kombiniere?",
        "könnt ihr mir bei der Zusammenstellung helfen? {product} für zu Hause, {product2} für unterwegs, dazu "
        "{accessory} und {accessory2}. Welche Filter passen wozu, und gibt es einen Kombirabatt?",
        "Es gibt gerade {percent}% auf die {product} und eine Aktion mit Gratis-Zubehör. Lassen sich beide "
        "Rabatte in einer Bestellung kombinieren? Bitte rechnet mir den Preis für zwei Pressen und drei "
        "Filterpackungen aus.",
        "Wir sind drei Geschwister und wollen zusammen bestellen: zweimal {product}, einmal {product2}, für jeden "
        "Zubehör. Lässt sich der Mengenrabatt mit dem Newsletter-Gutschein verrechnen?",
        "Ich vergleiche {product}, {product2} und die XL für ein Büro mit zehn Leuten. Was lohnt sich, wie "
        "viele Filter brauchen wir im Monat, und gibt es Staffelpreise für einen Jahresvorrat?",
        "Für Weihnachten suche ich fünf verschiedene Pressen mit passendem Zubehör. Welche Kombination empfehlt "
        "ihr und wie addieren sich Saisonrabatt und Erstbestellergutschein?",
        "Bitte um ein Angebot für: 1x {product}, 1x {product2}, 2x {accessory}, 1x {accessory2}, mit "
        "{percent}% Frühlingsrabatt und meinen Treuepunkten. Im Warenkorb wird nur ein Rabatt angezeigt.",
        "Was ist günstiger: das Set mit {accessory} oder alles einzeln mit dem Code {coupon}? Ich würde zwei "
        "Sets und zusätzlich {accessory2} nehmen.",
        "Ich richte mir eine Kaffee-Ecke ein und brauche Beratung zu mehreren Modellen und Zubehörteilen, "
        "inklusive Kompatibilität und der Berechnung aller Rabatte zusammen.",
    ],
    "wholesale": [
        "wir betreiben ein Café in {city} und möchten AeroPress-Bereiter und Filter verkaufen. Bieten Sie "
        "Großhandelspreise an und wie hoch ist die Mindestabnahme?",
        "Ich bin Einkäufer bei {business}. Wir interessieren uns für ca. {qty} Stück der {product} zum "
        "Wiederverkauf. Bitte senden Sie uns Ihre Händlerpreisliste und Zahlungsbedingungen.",
        "wir sind ein Distributor in {country} und möchten Ihre Produkte in unser Sortiment aufnehmen. Welche "
        "Konditionen gelten für große Mengen?",
        "Unsere Rösterei möchte jeden Monat etwa {qty} Pressen in Abo-Boxen legen. Gibt es einen Händlerrabatt "
        "für regelmäßige Großbestellungen?",
        "Für ein Firmenevent brauchen wir {qty} Geräte als Kundengeschenke. Gibt es Mengenrabatt und Lieferung an "
        "eine Adresse in {city} bis zum {date}?",
        "Wir führen eine Kette von Haushaltswarengeschäften und bitten um ein Angebot über {qty} {product} und "
        "{qty2} Packungen {accessory}.",
        "Könnt ihr für {business} ein Händlerkonto einrichten? Wir würden für unsere Baristaschule regelmäßig "
        "größere Mengen bestellen.",
        "Was ist Ihr Stückpreis ab {qty} Einheiten, und stellen Sie Displays oder Werbematerial für "
        "Wiederverkäufer bereit?",
        "Wir eröffnen einen Concept Store in {city} und möchten AeroPress weiterverkaufen. Wie sind "
        "Großhandelsrabatt und Mindestbestellmenge?",
    ],
    "order.tracking": [
        "meine Bestellung {order} wurde vor {days} Tagen verschickt, aber die Sendungsverfolgung zeigt seitdem "
        "keine Bewegung. Könnt ihr bei {carrier} nachfragen?",
        "die Sendungsnummer {tracking} zeigt nur 'Sendung angekündigt'. Hat das Paket euer Lager überhaupt "
        "verlassen?",
        "wann kommt meine Bestellung an? Ich habe am {date} bestellt und noch keine Versandbestätigung "
        "bekommen. Bestellnummer {order}.",
        "Laut {carrier} liegt mein Paket beim Zoll in {city}. Muss ich etwas tun?",
        "Die Sendungsverfolgung zu {order} sagt zugestellt, aber bei mir ist nichts angekommen, auch nicht bei "
        "den Nachbarn.",
        "mein Paket hängt seit {days} Tagen im Verteilzentrum fest. Bitte prüfen, wo es ist.",
        "Können Sie mir das voraussichtliche Lieferdatum für Bestellung {order} nennen? Ich bin ab dem {date} "
        "verreist.",
        "Der Status meiner Bestellung steht seit {days} Tagen auf 'in Bearbeitung'. Wurde sie schon versendet? "
        "{order}",
        "Gibt es eine Sendungsnummer für meine Bestellung? In der Bestätigung war keine. {order}",
    ],
    "returns": [
        "ich möchte die {product} aus Bestellung {order} zurückschicken. Sie ist unbenutzt und originalverpackt. "
        "Wie starte ich die Rücksendung?",
        "ich habe die falsche Farbe bekommen, bestellt war {color}. Ich möchte den Artikel zurücksenden und "
        "gegen die richtige Farbe umtauschen.",
        "Kann ich meine {product} noch zurückgeben? Ich habe sie vor {weeks} Wochen gekauft, das sollte noch "
        "innerhalb der 60 Tage sein.",
        "bitte schickt mir ein Rücksendeetikett für Bestellung {order}. Der {accessory} passt nicht auf meine "
        "Presse.",
        "Die {product} war ein Geschenk, ich habe aber schon eine. Ist eine Retoure möglich?",
        "Rücksendeantrag: Bestellung {order}, Modell {product}, Grund: versehentlich doppelt bestellt. Bitte "
        "senden Sie mir eine Rücksendenummer.",
        "Kann ich die {product} gegen die {product2} umtauschen? Die Verpackung ist noch ungeöffnet.",
        "Ich möchte nur einen Teil der Bestellung {order} zurückgeben, nämlich den {accessory}. Die Presse "
        "behalte ich.",
        "An welche Adresse schicke ich die Retoure? Der Artikel gefällt mir leider nicht, Bestellung {order}.",
    ],
    "refunds": [
        "ich habe die {product} am {date} zurückgeschickt und laut Sendungsverfolgung ist sie bei euch "
        "angekommen. Wann wird das Geld erstattet?",
        "die Rückerstattung für Bestellung {order} ist da, aber es fehlen {amount}. Wurden Versandkosten "
        "abgezogen? Die Rücksendung sollte doch kostenlos sein.",
        "es sind jetzt {days} Werktage seit der Prüfung meiner Retoure vergangen und die Erstattung ist immer "
        "noch nicht auf meiner Karte.",
        "Sie haben meine Erstattung abgelehnt, weil die {product} benutzt sei. Ich habe nur den Karton "
        "geöffnet. Welche Klausel Ihrer Richtlinie gilt hier? Bitte prüfen Sie das erneut.",
        "Können Sie bestätigen, dass die Erstattung auf mein PayPal-Konto ging? Bestellung {order}.",
        "Ich habe nur einen Teil meines Geldes zurückbekommen, der {accessory} wurde nicht erstattet.",
        "Wie lange dauert die Rückerstattung, nachdem die Ware bei Ihnen eingegangen ist? Zurückgeschickt am "
        "{date}.",
        "Die Erstattung wurde am {date} bestätigt, aber auf meinem Konto ist nichts eingegangen. Können Sie mir "
        "eine Transaktionsnummer für meine Bank geben?",
        "Wird bei der Erstattung auch das ursprüngliche Porto zurückgezahlt? Bestellung {order}.",
    ],
    "complaint.simple": [
        "ich bin sehr enttäuscht. Die {product} kam mit einem Riss an und der Karton war zerdrückt.",
        "ich möchte mich über Ihre Mitarbeiterin am Telefon beschweren. Sie war unfreundlich und hat mich "
        "einfach abgewimmelt.",
        "Das ist inakzeptabel: Ich warte seit {days} Tagen auf eine Antwort vom Support.",
        "Die {product} riecht selbst nach fünfmal Spülen noch stark nach Plastik. Mit der Qualität bin ich gar "
        "nicht zufrieden.",
        "Die Verpackung war eine Frechheit, alles lose in einem riesigen Karton, der {accessory} ist verbogen.",
        "Reklamation: Ich habe für Expressversand bezahlt, das Paket kam aber per Standardversand.",
        "Die Dichtung meiner {product} war schon beim Auspacken eingerissen. Schlechte Qualitätskontrolle.",
        "Der beworbene Gutschein {coupon} hat bei meiner Bestellung nicht funktioniert und ich habe den vollen "
        "Preis bezahlt. Ärgerlich.",
        "Ich möchte eine Beschwerde einreichen, der Artikel sieht gebraucht aus, mit Kratzern und "
        "Fingerabdrücken.",
    ],
    "complaint.complex": [
        "ich habe zwei Bestellungen, {order} und {order2}. Die erste kam kaputt an, die zweite gar nicht, und "
        "meine Erstattungsanfrage wurde ignoriert. Wenn das nicht in einer Woche gelöst ist, veranlasse ich eine "
        "Rückbuchung über meine Bank.",
        "Dies ist eine formelle Beschwerde. Ihr Versanddienstleister hat mein Paket verloren, Ihr Kundenservice "
        "hat Ersatz versprochen, der nie kam, und die Buchhaltung hat meine Karte doppelt belastet.",
        "Bei meinen letzten drei Bestellungen ({order}, {order2}, {order3}) ging jedes Mal etwas schief. Ich "
        "möchte, dass sich eine Person um alles kümmert.",
        "Ihr Lager sagt, die Retoure sei nie angekommen, {carrier} sagt zugestellt, und Ihre Erstattungsabteilung "
        "verweist aufs Lager. Ich werde zwischen den Abteilungen hin- und hergeschoben.",
        "Ich schalte die Verbraucherzentrale und meinen Anwalt ein, wenn das nicht gelöst wird. Gutschein nicht "
        "eingelöst, Lieferung einen Monat zu spät, und jetzt verweigern Sie die Rücknahme.",
        "Wenn ich heute nichts höre, lasse ich die Zahlung zurückbuchen. Die Erstattung wurde zweimal "
        "versprochen und niemand antwortet mehr.",
        "Beschwerde zu den Bestellungen {order} und {order2}: beide falsches Modell, und für den Umtausch soll "
        "ich Porto zahlen. Ich erwarte eine Entschädigung.",
        "Ich eskaliere das hiermit. Bestellung {order} beschädigt, Ersatzbestellung {order2} verspätet, die "
        "Antworten Ihres Teams widersprechen sich.",
        "Mehrere Probleme auf einmal: doppelte Abbuchung, kaputte Presse und ein nachträglich entfernter "
        "Rabattcode. Ich erwarte eine Gesamtlösung, sonst gehe ich rechtlich vor.",
    ],
    "privacy": [
        "bitte entfernen Sie mein Konto samt allen gespeicherten personenbezogenen Daten.",
        "gemäß Art. 15 DSGVO bitte ich um Auskunft über alle Daten, die Sie über mich speichern.",
        "Bitte tragen Sie mich aus allen Newslettern aus. Ich bekomme trotz Abmeldung weiter Werbung.",
        "Meine Adresse hat sich geändert, bitte korrigieren Sie sie in meinem Konto, auf der Website geht das "
        "nicht.",
        "Ich möchte wissen, welche Daten Sie über mich gespeichert haben und an wen Sie sie weitergeben.",
        "Antrag auf Löschung nach Art. 17 DSGVO: Bitte löschen Sie das Konto zu dieser E-Mail-Adresse und "
        "bestätigen Sie die Löschung.",
        "Können Sie mir meine Daten als Datei exportieren? Ich brauche meine Bestellhistorie.",
        "Mein Name ist im Konto falsch geschrieben, bitte berichtigen.",
        "Ich widerrufe meine Einwilligung in Werbung per E-Mail und Telefon.",
    ],
}

QUOTED = [
    "Vielen Dank für Ihre Nachricht an aeropressmall.com. Wir haben Ihre Anfrage [#HD-{ticket}] erhalten und "
    "antworten innerhalb von 2 Werktagen.",
    "Ihre Bestellung {order2} wurde mit {carrier} versandt. Sendungsnummer: {tracking}.",
    "Danke für Ihre Bestellung {order2}: 1x {product2}, Gesamtbetrag {amount}.",
    "Ihre Rücksendenummer lautet RA-{ticket}. Bitte schicken Sie das Paket an unser Retourenlager.",
]
ATTRIBUTION = ["Am {date} schrieb aeropressmall.com <support@aeropressmall.com>:",
               "-----Ursprüngliche Nachricht-----\nVon: aeropressmall.com <support@aeropressmall.com>\n"
               "Gesendet: {date}\nBetreff: Ihre Bestellung"]
FILLERS = ["Ich hoffe, ich bin hier richtig.", "Entschuldigung für die lange Nachricht.",
           "Ich bin schon lange Kunde bei Ihnen.", "Danke für Ihre Hilfe.", "Ich habe in den FAQ nichts gefunden.",
           "Ich freue mich auf eine baldige Antwort."]
WRONG_ADDRESS = ["Falls ich hier falsch bin, bitte weiterleiten.", "Sorry, falls das die falsche Adresse ist."]
ATTACH_NOTES = ["Foto anbei.", "Im Anhang ein Bild.", "Screenshot im Anhang.", "Siehe Anhang."]

# Weitere Formulierungen, angehängt, damit die bisherigen Vorlagen ihren Split behalten.
BODIES["presales.general"] += [
    "Funktioniert die {product} auch mit normal gemahlenem Kaffee aus dem Supermarkt?",
    "Wie lange ist die Garantie, wenn ich die {product} bei euch kaufe?",
    "Gibt es einen Studentenrabatt? Ich würde gern vor Semesterbeginn bestellen.",
    "Der {accessory} steht zweimal im Shop mit unterschiedlichen Preisen. Welcher ist der richtige?",
]
BODIES["presales.complex"] += [
    "Ich möchte für die ganze Familie bestellen: Eltern die {product}, Schwester die {product2}, jeweils mit "
    "Filtern für ein Jahr. Was zahle ich mit Bundle-Angebot und Code {coupon}?",
    "Welche Kappen passen auf welche Modelle, lässt sich der {percent}%-Rabatt mit Gratiszubehör kombinieren, "
    "und was kosten vier Pressen mit Ersatzteilen zusammen?",
    "Bitte stellt mir ein Komplettset für einen Kaffeeclub mit sechs Leuten zusammen, zwei verschiedene "
    "Modelle, passende Filter, und rechnet Gruppenrabatt und Aktionspreis zusammen.",
    "Ich plane {product}, {product2} und XL mit passendem {accessory}. Was passt wozu und wie hoch ist der "
    "Endpreis nach allen Rabatten?",
]
BODIES["wholesale"] += [
    "Wir sind eine Kette von Buchhandlungscafés und möchten AeroPress an der Kasse anbieten. Mindestmenge "
    "und Händlerpreis?",
    "Als Importeur in {country} suchen wir Containermengen an Pressen und Filtern. Bitte um Ihre besten "
    "Großhandelspreise und Lieferbedingungen.",
    "Unser Onlineshop für Kaffee sucht einen Lieferanten: {qty} Stück zum Start, danach quartalsweise. "
    "Welche Marge bekommen Wiederverkäufer?",
    "Unsere Firma stattet {qty} Büroküchen aus. Können wir ein Großkundenkonto mit Monatsrechnung bekommen?",
]
BODIES["order.tracking"] += [
    "Der Link zur Sendungsverfolgung in eurer Mail führt auf eine Fehlerseite. Wo sehe ich, wo mein Paket "
    "ist? {order}",
    "{carrier} hat mein Paket wegen falscher Postleitzahl zurückgeschickt. Könnt ihr es neu versenden? "
    "Bestellung {order}.",
    "Wann wird Bestellung {order} verschickt? Es sind schon {days} Tage vergangen.",
    "hallo, wo bleibt mein Paket?? vor {weeks} Wochen bestellt, {order}, bisher nichts",
]
BODIES["returns"] += [
    "Die {product} ist größer als gedacht und passt nicht in meine Tasche. Ich möchte sie zurückschicken, "
    "Bestellung {order}.",
    "Der {accessory} ist beim ersten Benutzen gesprungen. Wie bekomme ich eine Rücksendenummer?",
    "Ich schicke die komplette Bestellung {order} zurück, falsches Modell gewählt. Wohin soll das Paket?",
    "Mein Sohn hat schon eine {product} zum Geburtstag bekommen, unsere ist noch verschweißt. Kann ich sie "
    "zurückgeben?",
]
BODIES["refunds"] += [
    "Laut Ihrer Mail hat meine Retoure am {date} die Prüfung bestanden. Wann ist das Geld wieder auf meiner "
    "Kreditkarte?",
    "Warum wurden nur {amount} erstattet? Ich habe für Bestellung {order} mehr bezahlt.",
    "Meine Erstattung wurde abgelehnt, die Mail nennt keinen Grund. Können Sie die Gründe auflisten?",
    "gibt es Neuigkeiten zur Erstattung für meine zurückgeschickte {product}? Bestellung {order}",
]
BODIES["complaint.simple"] += [
    "Ich bin wirklich verärgert: Die {product} tropft jedes Mal unten heraus.",
    "Ihr Paketbote war unhöflich und wollte das Paket nicht in den dritten Stock tragen. So etwas erwarte "
    "ich nicht.",
    "Die Farbe meiner {product} hat mit den Fotos auf der Website nichts zu tun. Sehr irreführend.",
    "Ganz und gar nicht zufrieden: Der Karton kam geöffnet und wieder zugeklebt an, der {accessory} fehlte.",
]
BODIES["complaint.complex"] += [
    "Ich lege hiermit formell Widerspruch ein. Bestellung {order} doppelt abgebucht, bei {order2} fehlt ein "
    "Artikel, und Ihr Support schließt meine Tickets einfach. Ich will einen Vorgesetzten sprechen.",
    "Wenn mein Geld bis Montag nicht da ist, lasse ich beide Zahlungen von meiner Bank zurückholen. Das "
    "Paket kam nie, und die Erstattungsabteilung sagt, das sei ein Versandproblem.",
    "Versand, Retourenlager und Kundenservice schieben sich gegenseitig die Schuld zu, und ich habe nach "
    "sechs Wochen immer noch eine kaputte Presse und kein Geld.",
    "Es geht um die Bestellungen {order}, {order2} und die Umtauschbestellung {order3}: falsche Artikel, ein "
    "verlorenes Paket und eine geplatzte Erstattung. Ich erwarte Entschädigung für alles.",
]
BODIES["privacy"] += [
    "Ich möchte nicht, dass Sie meine Adresse und Telefonnummer weiter speichern. Bitte löschen.",
    "bitte senden Sie mir eine Kopie aller über mich gespeicherten Daten in einem maschinenlesbaren Format.",
    "Meine E-Mail-Adresse hat sich geändert. Bitte aktualisieren Sie sie und löschen Sie die alte.",
    "Ich habe nie SMS-Werbung zugestimmt. Entfernen Sie meine Nummer aus Ihren Listen und sagen Sie mir, "
    "woher Sie sie haben.",
]
