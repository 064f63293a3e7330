"""Machine-written mail recognised by what it says, for when its headers say nothing.

Out-of-office replies and delivery failure notices mostly carry `Auto-Submitted`, `X-Autoreply`,
a null Return-Path or `multipart/report` (inbox/auto.py), but some servers and forwarders strip
them. Then the words give them away: a localised "Automatic reply:" subject, "This is an
automatic reply", "I am out of the office until ...", "550 5.1.1 User unknown".

A false positive is never answered, so one cue is never enough; every rule pairs a marker that
people do not write (an auto-reply or non-delivery subject prefix, a declaration that the message
is automatic, a mail server's opening line) with a cue of its own kind (an absence, a return date,
a status code). People write "I'm out of the office until Friday, please hold my parcel" and "my
parcel could not be delivered" to a shop; neither is enough here. Covered: English, German,
French, Spanish, Italian, Dutch, Portuguese, the Scandinavian languages, Finnish, Polish, Czech,
Slovak, Hungarian, Romanian, Turkish, Russian, Ukrainian, Greek, Japanese, Chinese and Korean.
"""
from __future__ import annotations

import re

SCAN_CHARS = 2_000  # an automatic reply says what it is at once
SHORT_WORDS = 60  # an auto-reply's whole body is a few sentences


def _any(*alternatives: str, at: str = "anywhere") -> re.Pattern[str]:
    """Any of the (lower-case) alternatives, searched in lower-cased text (IGNORECASE is far slower).

    `at="opening"`: at the start of the text. `at="subject"`: opening the subject and ending it or
    followed by ':' or '(' ("Delivery Status Notification (Failure)"), in the pattern itself, so a
    longer alternative is tried when a shorter one is not followed so.
    """
    body = "|".join(alternatives)
    if at == "subject":
        return re.compile(rf"^\s*(?:{body})\s*(?::|：|\(|$)")
    return re.compile(rf"^\s*(?:{body})" if at == "opening" else rf"(?<!\w)(?:{body})")


# Subject prefixes mail servers put on an auto-reply, in many languages: followed by ':' or nothing.
_AUTO_REPLY_SUBJECT = _any(
    r"automatic reply", r"auto[- ]?reply", r"automatic response", r"auto[- ]?response", r"autoresponder",
    r"automatische antwort", r"abwesenheitsnotiz", r"abwesenheitsmeldung", r"r[ée]ponse automatique",
    r"respuesta autom[áa]tica", r"risposta automatica", r"automatisch antwoord", r"resposta autom[áa]tica",
    r"autosvar", r"automatisk svar", r"automatiskt svar", r"automaattinen vastaus",
    r"automatyczna odpowied[źz]", r"odpowied[źz] automatyczna", r"automatick[áa] odpov[ěe][ďd]",
    r"automatikus v[áa]lasz", r"r[ăa]spuns automat", r"otomatik (?:yan[ıi]t|cevap)",
    r"автоматический ответ", r"автоматична відповідь", r"αυτόματη απάντηση",
    r"自動応答", r"自動返信", r"自动回复", r"自動回覆", r"자동\s?회신", r"자동\s?응답",
    at="subject")
_AWAY_SUBJECT = _any(
    r"out of (?:the )?office", r"ooo", r"away", r"auto", r"absent", r"absence", r"on (?:vacation|holiday|leave)",
    r"abwesend", r"abwesenheit", r"nicht im b[üu]ro", r"absence du bureau", r"fuera de la oficina", r"ausente",
    r"fuori ufficio", r"afwezig", r"fora do escrit[óo]rio",
    at="subject")

# A message saying of itself that it is automatic.
_DECLARATION = _any(
    r"this is an? automat(?:ic|ed)(?: generated)? (?:reply|response|message|e-?mail|notification|answer)",
    r"this (?:message|e-?mail) (?:was|is|has been) (?:automatically generated|generated automatically|"
    r"sent automatically|created automatically)",
    r"this message was created automatically by mail delivery software",
    r"dies ist eine automatische (?:antwort|nachricht|e-mail|benachrichtigung|abwesenheitsnotiz)",
    r"diese (?:nachricht|e-mail) wurde automatisch (?:generiert|erstellt|versandt|versendet)",
    r"ceci est (?:une r[ée]ponse automatique|un message automatique)",
    r"(?:message|courriel|e-mail) (?:g[ée]n[ée]r[ée]|envoy[ée]) automatiquement",
    r"est[ea] es una? (?:mensaje|respuesta|correo) autom[áa]tic[oa]",
    r"(?:mensaje|correo) (?:generado|enviado) autom[áa]ticamente",
    r"questo [èe] un (?:messaggio|risposta) automatic[oa]", r"dit is een automatisch (?:antwoord|bericht)",
    r"esta [ée] uma (?:resposta|mensagem) autom[áa]tica", r"to jest (?:automatyczna odpowied[źz]|wiadomo[śs][ćc] "
    r"automatyczna)", r"dette er et automatisk svar", r"detta [äa]r ett automatiskt svar",
    r"t[äa]m[äa] on automaattinen vastaus", r"toto je automatick[áa] odpov[ěe][ďd]", r"это автоматический ответ",
    r"bu otomatik bir (?:yan[ıi]tt[ıi]r|cevapt[ıi]r)",
)
# Someone is away.
_ABSENCE = _any(
    r"out of (?:the )?office", r"away from (?:the |my )?(?:office|desk|work)", r"currently away",
    r"not in the office", r"on (?:annual |parental |maternity |paternity |sick |study )?leave",
    r"on (?:vacation|holiday|holidays|a business trip)", r"travell?ing with limited", r"i am away", r"i'm away",
    r"nicht im b[üu]ro", r"abwesend", r"im urlaub", r"au[ßs]er haus", r"auf dienstreise", r"in elternzeit",
    r"absente?s? (?:du bureau|jusqu)", r"je suis absente?", r"en cong[ée]s?", r"en vacances", r"en d[ée]placement",
    r"hors du bureau", r"fuera de la oficina", r"ausente", r"de vacaciones", r"de viaje",
    r"fuori (?:ufficio|sede)", r"assente", r"in ferie", r"in vacanza", r"afwezig", r"niet op kantoor",
    r"met vakantie", r"ausente do escrit[óo]rio", r"de f[ée]rias", r"fora do escrit[óo]rio", r"poza biurem",
    r"na urlopie", r"nieobecn\w*", r"ledig", r"p[åa] semester", r"p[åa] ferie", r"inte p[åa] kontoret",
    r"ikke p[åa] kontoret", r"frav[æa]rende", r"lomalla", r"poissa", r"mimo kancel[áa][řr]", r"na dovolen[ée]",
    r"szabads[áa]gon", r"h[áa]zon k[íi]v[üu]l", r"izindeyim", r"izinde", r"ofis d[ıi][şs][ıi]nda",
    r"в отпуске", r"отсутствую", r"вне офиса", r"у відпустці", r"εκτός γραφείου", r"不在", r"休暇", r"出張",
    r"休假", r"外出", r"부재",
)
# When they are back, who to contact meanwhile, and that mail waits.
_RETURN = _any(
    r"until \w+", r"back (?:on|in the office|at work)", r"(?:return|returning) (?:on|to the office)",
    r"upon my return", r"on my return", r"when i (?:get back|return|am back)", r"as soon as i (?:return|am back)",
    r"limited (?:access to )?e-?mail", r"(?:no|without|limited) access to (?:my )?e-?mail",
    r"(?:will not|won't) be (?:checking|reading|answering|monitoring) (?:my )?e-?mails?",
    r"(?:message|e-?mail) will not be forwarded",
    r"for urgent (?:matters|inquiries|enquiries|requests|questions|issues)",
    r"in my absence", r"contact my colleague",
    r"bis (?:einschlie[ßs]lich |zum |am )?\d", r"wieder (?:im b[üu]ro|erreichbar|da)", r"nach meiner r[üu]ckkehr",
    r"eingeschr[äa]nkte?n? zugriff", r"keinen zugriff", r"wird nicht weitergeleitet", r"in dringenden f[äa]llen",
    r"jusqu'au", r"de retour le", r"[àa] mon retour", r"acc[èe]s limit[ée]", r"pas acc[èe]s [àa]",
    r"ne sera pas transf[ée]r[ée]", r"en cas d'urgence", r"pour toute urgence", r"hasta el", r"a mi regreso",
    r"a mi vuelta", r"acceso limitado", r"sin acceso al correo", r"no ser[áa] reenviado",
    r"para (?:asuntos |temas |consultas )?urgentes?", r"en caso de urgencia", r"fino al", r"al mio rientro",
    r"accesso limitato", r"per (?:questioni |)urgenze", r"per questioni urgenti", r"tot en met",
    r"beperkte? toegang", r"dringende zaken", r"ap[óo]s o meu regresso", r"acesso limitado",
    r"assuntos urgentes", r"po powrocie", r"w pilnych sprawach", r"till och med", r"vid br[åa]dskande",
    r"l[äa]ser inte", r"leser ikke", r"l[æa]ser ikke", r"haster", r"videresendt", r"asti", r"kiireellisiss[äa]",
    r"po n[áa]vratu", r"nem[áa]m p[řr][íi]stup", r"korl[áa]tozottan", r"tarihine kadar", r"acil durumlar",
    r"после возвращения", r"нет доступа", r"до \d", r"以降", r"返信いたします", r"回来后",
)

# Subject prefixes of non-delivery and delay reports.
_BOUNCE_SUBJECT = _any(
    r"undeliverable", r"undelivered mail", r"mail delivery failed", r"mail delivery failure",
    r"delivery status notification", r"returned mail", r"delivery failure", r"failure notice",
    r"message not delivered", r"delivery has failed", r"unzustellbar", r"nicht zustellbar",
    r"non remis", r"non distribuable", r"[ée]chec de (?:la )?remise", r"no se puede entregar",
    r"mensaje no entregado", r"no entregado", r"non recapitabile", r"onbestelbaar", r"n[ãa]o entregue",
    r"mensagem n[ãa]o entregue", r"nie dostarczono", r"nedoru[čc]iteln[ée]", r"k[ée]zbes[íi]thetetlen",
    r"olevererbart", r"kan ikke leveres",
    at="subject")
_BOUNCE_OPENING = _any(
    r"this is the mail system at host", r"delivery has failed to these recipients",
    r"i'm sorry to have to inform you that your message could not be delivered",
    r"your message (?:to \S+ )?(?:couldn't|could not|wasn't|was not) (?:be )?delivered",
    at="opening")
# What only a mail server's report says: a status code, a rejected or unknown recipient.
_BOUNCE_DETAIL = _any(
    r"[245]\.\d{1,3}\.\d{1,3}(?!\d)", r"remote server returned", r"diagnostic(?: information| code)",
    r"smtp error", r"user unknown", r"unknown user", r"no such user", r"mailbox (?:is )?(?:full|unavailable|not found)",
    r"address(?:es)? (?:not found|failed|rejected)", r"recipient address rejected",
    r"(?:message|e-?mail|mail) (?:to \S+ )?(?:couldn't|could not|wasn't|was not) (?:be )?delivered",
    r"delivery to the following recipients? (?:failed|has been delayed)", r"wasn't found at",
    r"will be retried", r"konnte (?:an folgende empf[äa]nger )?nicht zugestellt werden",
    r"empf[äa]nger (?:ist )?unbekannt", r"postfach (?:ist )?voll", r"n'a pas pu [êe]tre remis",
    r"destinataires? (?:inconnu|introuvable)", r"introuvable", r"no se pudo entregar",
    r"destinatario desconocido", r"buz[óo]n .{0,40}lleno", r"non [èe] stato possibile recapitare",
    r"destinatario sconosciuto",
)


def machine_written(subject: str, text: str) -> str:
    """Why this mail was written by a machine ('' when nothing says so): its subject and new text."""
    subject, text = subject.strip()[:300].lower(), text[:SCAN_CHARS].lower()
    if (_BOUNCE_SUBJECT.match(subject) or _BOUNCE_OPENING.search(text)) and _BOUNCE_DETAIL.search(text):
        return "content: delivery failure notice"
    absent, back = bool(_ABSENCE.search(text)), bool(_RETURN.search(text))
    declared = bool(_DECLARATION.search(text))
    if _AUTO_REPLY_SUBJECT.match(subject):
        short = len(text.split()) <= SHORT_WORDS and "?" not in text
        if absent or back or declared or short:
            return "content: automatic reply (subject)"
    if declared and (absent or back):
        return "content: automatic reply (says so)"
    if _AWAY_SUBJECT.match(subject) and absent and back and "?" not in text:
        return "content: out-of-office reply"
    return ""
