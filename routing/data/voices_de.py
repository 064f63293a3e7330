"""German customer voices for the training-set generator (see voices_en.py for what each list is)."""

ASKS = {
    "presales.general": [
        "ist bei der {product} eine Tasche dabei?",
        "Wie schwer ist die {product}? Ich will sie zum Wandern mitnehmen.",
        "Kann man die {product} auch für Tee benutzen?",
        "Nehmt ihr Apple Pay oder Sofortüberweisung?",
        "Welchen Mahlgrad empfehlen Sie für die {product}?",
        "Ist der {accessory} aus Edelstahl oder Kunststoff?",
        "Sind Ihre Geräte Originalware oder generalüberholt?",
        "Wie reinigt man die {product}? Ich möchte das vor dem Kauf wissen.",
        "Gibt es einen Rabatt für die erste Bestellung?",
        "Wie lange hält die Gummidichtung ungefähr?",
        "Was ist alles im Karton der {product}?",
        "Von wo wird verschickt?",
        "Reicht die {product} für einen großen Thermobecher?",
        "Welches Modell ist für Anfänger am besten, ich trinke eine Tasse am Tag?",
        "Was ist der Unterschied zur French Press?",
    ],
    "presales.complex": [
        "Ich möchte die {product}, die {product2} und je einen {accessory} kaufen. Wie rechnen sich die Rabatte?",
        "Können Sie mir den Gesamtpreis für zwei Pressen und drei Packungen Filter mit dem Code {coupon} "
        "ausrechnen?",
        "Welches Zubehör passt auf die {product} und die {product2}? Ich würde alles zusammen bestellen.",
        "Lässt sich der Gutschein mit dem {percent}%-Angebot kombinieren, wenn ich drei Pressen kaufe?",
        "Für {few} Personen möchte ich verschiedene Modelle bestellen. Was kostet alles zusammen?",
        "Passt der {accessory} auf alle Modelle oder nur auf manche?",
        "Ist das Set oder der Einzelkauf günstiger für {product}, {product2} und Ersatzteile?",
        "Können wir Dichtungen und Filter zwischen der {product} und der {product2} teilen?",
    ],
    "wholesale": [
        "Wir möchten AeroPress in unserem Laden führen. Wie sind Ihre Händlerpreise?",
        "Bitte ein Angebot für {qty} Stück {product} zum Wiederverkauf.",
        "Ab welcher Menge gibt es Großhandelspreise?",
        "Arbeiten Sie mit Distributoren in {country} zusammen?",
        "Wir brauchen {qty} Pressen als Kundengeschenke. Gibt es Mengenrabatt?",
        "Können wir ein Geschäftskundenkonto mit Zahlung auf Rechnung eröffnen?",
        "Unsere Rösterei möchte monatlich etwa {qty} Pressen zusammen mit Kaffee verkaufen.",
        "Bitte senden Sie uns eine Preisliste für Großbestellungen.",
        "Für unser Hotel brauchen wir {qty} Geräte, eins pro Zimmer. Angebot bitte.",
        "Liefern Sie auch palettenweise an unser Lager in {city}?",
    ],
    "order.tracking": [
        "wo bleibt meine Bestellung {order}?",
        "Die Sendungsverfolgung für {order} bewegt sich seit {days} Tagen nicht.",
        "Laut Tracking zugestellt, aber nichts angekommen. Bestellung {order}.",
        "Wann wird die Bestellung {order} verschickt?",
        "Können Sie mir die Sendungsnummer zu {order} schicken?",
        "Das Paket hängt beim Zoll. Bestellung {order}.",
        "Kann ich die Lieferadresse für {order} noch ändern?",
        "Der Tracking-Link funktioniert nicht. Wo ist mein Paket? {order}",
        "Die Bestellung {order} sollte am {date} ankommen. Bis heute nichts.",
        "Nur ein Teil meiner Bestellung {order} ist angekommen. Kommt der Rest noch?",
        "Ich habe bezahlt, aber keine Versandbestätigung bekommen. {order}",
        "Ist mein Paket {order} verloren gegangen? Schon {weeks} Wochen.",
    ],
    "returns": [
        "Ich möchte die Bestellung {order} zurückschicken.",
        "Wie schicke ich die {product} zurück? Unbenutzt.",
        "Kann ich die {product} gegen die {product2} umtauschen? Bestellung {order}.",
        "Bitte schicken Sie mir ein Rücksendeetikett für {order}.",
        "Der {accessory} passt nicht, ich möchte ihn zurückgeben. {order}",
        "Falscher Artikel geliefert, ich will ihn zurückschicken. Bestellung {order}.",
        "Kann ich die {product} nach {weeks} Wochen noch zurückgeben?",
        "Nur einen Artikel aus {order} zurücksenden, geht das?",
        "An welche Adresse geht die Rücksendung?",
        "Brauche ich eine Retourennummer?",
        "Versehentlich doppelt bestellt, eine möchte ich zurückschicken. {order}",
    ],
    "refunds": [
        "Wann bekomme ich mein Geld für {order} zurück?",
        "Sie haben meine Rücksendung am {date} erhalten, aber noch nichts erstattet.",
        "Die Erstattung für {order} ist niedriger als der Kaufpreis.",
        "Warum wurde meine Erstattung abgelehnt? Bestellung {order}.",
        "Wurde die Rückzahlung für {order} schon veranlasst?",
        "Die Erstattung ging auf eine Karte, die ich nicht mehr habe. Was nun?",
        "Mir wurde für {order} doppelt erstattet. Wie zahle ich es zurück?",
        "Wird das Rückporto mit erstattet?",
        "Ich habe einen Gutschein bekommen, wollte aber mein Geld zurück. {order}",
        "Wie viele Tage nach der Prüfung kommt die Erstattung?",
    ],
    "complaint.simple": [
        "Ich bin wirklich unzufrieden: die {product} kam beschädigt an. Bestellung {order}.",
        "Ich möchte mich über Ihren Kundenservice beschweren.",
        "Der Karton war durchnässt und die Filter kaputt. So nicht.",
        "Laut Beschreibung war {accessory} dabei, war es aber nicht. Irreführend.",
        "Die Presse war offensichtlich gebraucht. Unmöglich.",
        "Seit {days} Tagen keine Antwort. Schlechter Service.",
        "Ihr Paketbote hat das Paket über den Zaun geworfen.",
        "Die {product} ist beim ersten Benutzen gerissen. Sehr enttäuschend.",
        "Sie haben mir eine Bearbeitungsgebühr berechnet, obwohl der Versand kostenlos sein soll.",
        "Die Verpackung war miserabel, der {accessory} kam verbogen an.",
    ],
    "complaint.complex": [
        "Bestellungen {order} und {order2} sind beide schiefgelaufen. Das ist eine offizielle Beschwerde.",
        "Erstatten Sie bis Freitag oder ich lasse die Zahlung zurückbuchen.",
        "Ich schalte wegen {order} meinen Anwalt ein.",
        "Lager, Buchhaltung und Kundenservice schieben sich gegenseitig die Schuld zu.",
        "Drei Bestellungen, drei Probleme: {order}, {order2}, {order3}.",
        "Ich habe bei meiner Kreditkartenfirma Widerspruch gegen {order} eingelegt.",
        "Wenn das diese Woche nicht gelöst wird, gehe ich zur Verbraucherzentrale.",
        "Paket verloren, Erstattung abgelehnt, Mitarbeiter unhöflich. Ich eskaliere das.",
    ],
    "privacy": [
        "Bitte löschen Sie mein Konto.",
        "Bitte vom Newsletter abmelden.",
        "Ich möchte eine Kopie aller meiner Daten.",
        "Bitte korrigieren Sie meinen Namen im Kundenkonto.",
        "Bitte meine Telefonnummer löschen.",
        "Welche Daten speichern Sie über mich?",
        "Bitte alle meine Daten nach DSGVO löschen.",
        "Keine Werbemails mehr, bitte.",
        "Bitte die Postadresse in meinem Profil aktualisieren.",
        "Woher haben Sie meine E-Mail-Adresse?",
    ],
}

CONTEXT = {
    "presales.general": ["Ich trinke seit Jahren Filterkaffee und will etwas Neues ausprobieren.",
                         "Meine Schwester schwört auf ihre AeroPress.", "Ich bin viel beruflich unterwegs.",
                         "Es soll ein Geschenk für meinen Mann sein."],
    "presales.complex": ["Weihnachten steht vor der Tür und die halbe Familie trinkt Kaffee.",
                         "Mein Budget liegt bei etwa {amount} für alles.",
                         "Der Warenkorb rechnet die Rabatte bei mir jedes Mal anders."],
    "wholesale": ["Wir haben letztes Jahr eine zweite Filiale in {city} eröffnet.",
                  "Unsere Kunden fragen ständig nach der AeroPress.", "Ich bin für den Einkauf bei {business} zuständig."],
    "order.tracking": ["Es ist ein Geschenk, deshalb werde ich langsam nervös.", "Ich habe am {date} bestellt.",
                       "Ich habe schon bei allen Nachbarn nachgefragt."],
    "returns": ["Ich habe sie nur einmal benutzt und gespült.", "Sie ist noch originalverpackt.",
                "Ich hatte nicht gedacht, dass sie so groß ist."],
    "refunds": ["Die Rücksendung hatte die Sendungsnummer {tracking}.", "Laut Ihrer E-Mail wurde die Ware geprüft.",
                "Es sind jetzt über zwei Wochen vergangen."],
    "complaint.simple": ["Ich bin seit Jahren Kunde bei Ihnen.", "Es sollte ein Geburtstagsgeschenk sein.",
                         "Fotos hänge ich an."],
    "complaint.complex": ["Das geht jetzt seit über einem Monat so.", "Ich habe Ihnen schon viermal geschrieben.",
                          "Ich habe alle E-Mails aufgehoben."],
    "privacy": ["Ich kaufe nicht mehr bei Ihnen.", "Ich räume gerade meine Online-Konten auf.", "Ich bin umgezogen."],
}

MORE = {
    "presales.general": ["Versenden Sie auch am Wochenende?", "Gilt die Garantie in {country}?",
                         "Gibt es eine deutsche Anleitung?", "Ist der Kunststoff BPA-frei?"],
    "presales.complex": ["Kann alles in einem Paket kommen?", "Können die Pressen an zwei Adressen gehen?",
                         "Welche Filter brauche ich für welche Presse?"],
    "wholesale": ["Wie sind die Zahlungsbedingungen?", "Wie lang ist die Lieferzeit?", "Brauchen Sie unsere USt-IdNr.?",
                  "Gibt es Muster?"],
    "order.tracking": ["Können Sie beim Paketdienst nachfragen?", "Schicken Sie es neu, falls es verloren ist?",
                       "Bitte nennen Sie mir das voraussichtliche Lieferdatum."],
    "returns": ["Gibt es ein vorfrankiertes Etikett?", "Wie lange dauert der Umtausch?", "Muss die Rechnung mit rein?"],
    "refunds": ["Können Sie mir eine Transaktionsnummer schicken?", "Geht das Geld zurück auf PayPal?",
                "Wurde etwas abgezogen?"],
    "complaint.simple": ["Ich erwarte Ersatz.", "Bitte kümmern Sie sich darum.", "Eine Entschuldigung wäre das Mindeste."],
    "complaint.complex": ["Ich erwarte eine schriftliche Stellungnahme zu allem.", "Ich will mit einem Vorgesetzten sprechen.",
                          "Ich möchte eine Entschädigung."],
    "privacy": ["Bitte bestätigen Sie mir die Löschung.", "Das Konto brauche ich nicht mehr.",
                "Bestellbestätigungen möchte ich weiterhin bekommen."],
}

CHATTER = ["Ich hoffe, Sie hatten ein schönes Wochenende.", "Entschuldigung, ich schreibe vom Handy.",
           "Ich mag Ihren Shop übrigens sehr.", "Sorry für die lange Mail.", "Viele Grüße aus {city}!",
           "Bei uns regnet es schon wieder, perfektes Kaffeewetter."]
FORWARD_INTROS = ["Siehe unten.", "Leite ich mal weiter, können Sie helfen?", "Bitte die Mail unten lesen.",
                  "Meine Frau bat mich, das weiterzuleiten."]
FOLLOWUPS = ["Hallo nochmal, gibt es etwas Neues?", "Ich wollte nach meiner Anfrage von letzter Woche fragen.",
             "Gibt es schon ein Update?", "Ich warte immer noch auf eine Antwort."]
BUSINESS_SIGNATURES = [["{name}", "Einkauf | {business}", "{city}"], ["Mit freundlichen Grüßen", "{name}", "{business}"],
                       ["{name}", "Büroleitung", "{business}"]]
DISCLAIMERS = ["Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Adressat sind, "
               "informieren Sie bitte den Absender und löschen Sie diese Mail.",
               "Bitte denken Sie an die Umwelt, bevor Sie diese E-Mail ausdrucken."]

OTHER = [
    ("Presseanfrage", "Ich bin Journalistin und schreibe über Online-Shops für Kaffeezubehör. Hätten Sie Zeit für ein "
     "kurzes Telefonat?"),
    ("Bewerbung", "Sehr geehrte Damen und Herren, hiermit bewerbe ich mich als Mitarbeiter im Kundenservice. Meinen "
     "Lebenslauf finden Sie im Anhang."),
    ("Mehr Umsatz für Ihren Shop", "Unsere Agentur optimiert Online-Shops für Suchmaschinen. Dürfen wir Ihnen eine "
     "kostenlose Analyse schicken?"),
    ("Kooperation", "Ich betreibe einen Kaffee-Kanal mit {qty}.000 Abonnenten und biete Ihnen eine bezahlte Kooperation "
     "an."),
    ("Günstiger versenden", "Wir sind ein Logistikunternehmen und bieten Onlinehändlern günstige Paketpreise. Darf ich "
     "Ihnen ein Angebot machen?"),
    ("Umfrage", "Ich bin Studentin und schreibe meine Abschlussarbeit über kleine Onlinehändler. Würden Sie an einer "
     "kurzen Umfrage teilnehmen?"),
    ("Offene Rechnung", "Sehr geehrte Kundin, sehr geehrter Kunde, unsere Rechnung für Druckleistungen ist noch offen. "
     "Bitte überweisen Sie den Betrag."),
    ("Einladung Messe", "Wir laden Sie ein, auf der Kaffeemesse in {city} auszustellen. Die Standpreise finden Sie "
     "anbei."),
    ("Praktikum", "Hallo, ich suche ein Praktikum im Bereich E-Commerce. Bieten Sie Praktika an?"),
    ("Interview", "Für unseren Podcast über Kaffee suchen wir Gesprächspartner aus dem Onlinehandel. Hätten Sie "
     "Interesse?"),
]
