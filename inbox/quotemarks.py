"""The lines mail clients write around quoted history and under a message, per client and language.

Attribution lines ('On ... wrote:', 'Am ... schrieb ...:', 'Le ... a écrit :', 'El ... escribió:'),
separators ('-----Original Message-----' and its translations), the labels of Outlook's
'From: / Sent: / To: / Subject:' block, and the footers phones and webmail append
('Sent from my iPhone', 'Von meinem iPhone gesendet', 'Get Outlook for Android').
"""
from __future__ import annotations

import re

_I = re.IGNORECASE

QUOTE_LINE = re.compile(r"^[ \t]{0,3}>(?:[ >\t]|$)")
QUOTE_PREFIX = re.compile(r"^[ \t]{0,3}> ?")

# Attribution with a date: Gmail, Apple Mail, iPhone, Android, Thunderbird, Yahoo, in en/de/fr/es/...
STRONG_ATTRIBUTION = re.compile(
    r"^(?:"
    r"On\s.{4,240}\swrote\s?:"                                  # en: On <date>, <name> wrote:
    r"|Am\s.{4,240}\sschrieb\b.{0,240}:"                        # de: Am <date> schrieb <name>:
    r"|.{2,240}\sschrieb\sam\s.{4,120}:"                        # de (Android): <name> schrieb am <date>:
    r"|Le\s.{4,240}\sa\s+écrit\s?:"                             # fr: Le <date>, <name> a écrit :
    r"|El\s.{4,240}\s(?:escribió|escribio)\s?:"                 # es: El <date>, <name> escribió:
    r"|Il\s.{4,240}\sha\sscritto\s?:"                           # it
    r"|Op\s.{4,240}\sschreef\s?.{0,120}:"                       # nl
    r"|Em\s.{4,240}\sescreveu\s?:"                              # pt
    r"|Den\s.{4,240}\sskrev\s?.{0,120}:"                        # sv, da
    r")\s*$", _I)
# A bare '<name> wrote:' counts only right above a '>' quoted block.
WEAK_ATTRIBUTION = re.compile(
    r"^.{0,240}\b(?:wrote|writes|schrieb|a\s+écrit|escribió|escribio|ha\sscritto|schreef|skrev|escreveu)\s?:\s*$", _I)
ATTRIBUTION_START = re.compile(r"(?:On|Am|Le|El|Il|Op|Em|Den)\s", _I)  # matched at the line start

SEPARATOR = re.compile(
    r"^\s*(?:[-_=*]{2,}\s*(?:Original Message|Original-Nachricht|Originalnachricht|Ursprüngliche Nachricht"
    r"|Forwarded message|Weitergeleitete Nachricht|Message d'origine|Message original|Message transféré"
    r"|Mensaje original|Mensaje reenviado|Mensagem original|Messaggio originale)\s*[-_=*]{2,}"
    r"|Begin forwarded message\s?:|Anfang der weitergeleiteten Nachricht\s?:|Début du message réexpédié\s?:"
    r"|Inicio del mensaje reenviado\s?:)\s*$", _I)
RULE_LINE = re.compile(r"^\s*[-_]{10,}\s*$")
# A forward, not a reply: the separators that open a forwarded mail, and the subject prefixes
# clients write on a forward (en, de, fr, es, it, pt, nl, pl, ru, ja, zh, and the Nordic ones).
FORWARD_SEPARATOR = re.compile(
    r"^\s*(?:[-_=*]{2,}\s*(?:Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado"
    r"|Messaggio inoltrato|Mensagem encaminhada|Doorgestuurd bericht|Wiadomość przekazana dalej|Przekazana wiadomość"
    r"|Пересылаемое сообщение|Пересланное сообщение|転送されたメッセージ|转发的邮件|轉寄的郵件|Videresendt meddelelse"
    r"|Vidarebefordrat meddelande)\s*[-_=*]{2,}"
    r"|Begin forwarded message\s?:|Anfang der weitergeleiteten Nachricht\s?:|Début du message réexpédié\s?:"
    r"|Inicio del mensaje reenviado\s?:|Inizio messaggio inoltrato\s?:|Início da mensagem reencaminhada\s?:"
    r"|Начало переадресованного сообщения\s?:|Początek przekazywanej wiadomości\s?:|転送されたメッセージ\s?:"
    r"|转发的邮件\s?:)\s*$", _I)
FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|fw|wg|tr|rv|enc|doorst|pd|vs|vb|vl|vid|fs|rif|i|пересл|fwd|转发|轉寄|転送)\s*[:：]",
                             _I)

# Outlook's block of header lines above the quoted mail, in the languages we serve.
HEADER_FROM = re.compile(r"^\s*\*?(?:From|Von|De|Da|Van|Från|Fra)\s?\*?\s?:\*?\s*\S", _I)
HEADER_OTHER = re.compile(
    r"^\s*\*?(?:Sent|Date|To|Cc|Subject|Gesendet|Datum|An|Betreff|Envoyé|À|A|Objet|Enviado|Fecha|Para|Asunto"
    r"|Inviato|Oggetto|Verzonden|Aan|Onderwerp|Skickat|Till|Ämne)\s?\*?\s?:", _I)

# Footers that mail apps append: a signature, never something the customer wrote. An app or
# device name is at most four words ('Samsung Galaxy smartphone.'); a longer line is a sentence.
_APP = r"\S+(?:[ \t]\S+){0,3}"
APP_FOOTER = re.compile(
    r"^(?:Sent from my " + _APP + r"|Sent from (?:Yahoo Mail|Mail|Outlook|AOL|Samsung|Gmail)(?: for| on)?(?: " + _APP + r")?"
    r"|Sent with Proton Mail(?: " + _APP + r")?|Sent via " + _APP + r"|Get Outlook for (?:iOS|Android)\S*"
    r"|Von meinem " + _APP + r" gesendet|Gesendet von (?:meinem )?" + _APP
    + r"|Holen Sie sich Outlook für (?:iOS|Android)\S*"
    r"|Envoyé de mon " + _APP + r"|Envoyé depuis (?:mon )?" + _APP + r"|Envoyé à partir de " + _APP
    + r"|Obtenez Outlook pour (?:iOS|Android)\S*|Télécharger Outlook pour (?:iOS|Android)\S*"
    r"|Enviado desde (?:mi )?" + _APP + r"|Obtener Outlook para (?:iOS|Android)\S*)\s*$", _I)
SIGNATURE_DELIMITER = re.compile(r"^--\s?$")
