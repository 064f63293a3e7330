"""The lines mail clients write around quoted history and under a message, per client and language.

Attribution lines ('On ... wrote:', 'Am ... schrieb ...:', 'Le ... a écrit :', 'El ... escribió:',
'... написал(а):', '... napisał(a):', '...写道：'), separators ('-----Original Message-----' and its
translations), the labels of Outlook's 'From: / Sent: / To: / Subject:' block, and the footers
phones and webmail append ('Sent from my iPhone', 'Von meinem iPhone gesendet').

The phrase lists are the fast path for the languages we see most. The shapes below recognise the
same lines in any language and script: an attribution is a line ending in a colon that holds a
time and an e-mail address; a header block is several `Label: value` lines with a date and time
among the values, under a rule, with a reply prefix on the subject or an address on the first line.
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
    r"|W\sdniu\s.{4,240}\spisze\s?:"                           # pl (Thunderbird): W dniu <date>, <name> pisze:
    r"|.{4,240}\s(?:napisał|napisała|napisał\(a\))\s?:"          # pl (Gmail): <date> <name> napisał(a):
    r"|.{4,240}\s(?:написал|написала|написал\(а\)|пишет)\s?:"     # ru: <date>, <name> написал(а): / пишет:
    r"|.{4,240}(?:写道|寫道)\s?[:：]"                              # zh: <name> 于<date>写道：
    r"|.{4,240}(?:のメール|が書きました)\s?[:：]"                    # ja (Apple Mail): <date>、<name> のメール:
    r")\s*$", _I)
# A bare '<name> wrote:' counts only right above a '>' quoted block.
WEAK_ATTRIBUTION = re.compile(
    r"^.{0,240}(?:\b(?:wrote|writes|schrieb|a\s+écrit|escribió|escribio|ha\sscritto|schreef|skrev|escreveu|pisze"
    r"|napisał|napisała|napisał\(a\)|написал|написала|написал\(а\)|пишет|yazdı|napsal|kirjoitti)"
    r"|写道|寫道|のメール|が書きました)\s?[:：]\s*$", _I)
ATTRIBUTION_START = re.compile(r"(?:On|Am|Le|El|Il|Op|Em|Den|W dniu)\s", _I)  # matched at the line start
# Shapes, in any language: a time of day; an e-mail address.
TIME = re.compile(r"(?<!\d)\d{1,2}[:：]\d{2}(?!\d)")
EMAIL = re.compile(r"[^\s<>()\[\]@:]+@[^\s<>()\[\]@:]+\.\w+")

SEPARATOR = re.compile(
    r"^\s*(?:[-_=*]{2,}\s*(?:Original Message|Original-Nachricht|Originalnachricht|Ursprüngliche Nachricht"
    r"|Forwarded message|Weitergeleitete Nachricht|Message d'origine|Message original|Message transféré"
    r"|Mensaje original|Mensaje reenviado|Mensagem original|Messaggio originale|Oorspronkelijk bericht"
    r"|Исходное сообщение|Пересылаемое сообщение|Oryginalna wiadomość|Wiadomość oryginalna|Wiadomość przekazana dalej"
    r"|原始邮件|原始郵件|元のメッセージ|転送されたメッセージ|转发的邮件)\s*[-_=*]{2,}"
    r"|Begin forwarded message\s?:|Anfang der weitergeleiteten Nachricht\s?:|Début du message réexpédié\s?:"
    r"|Inicio del mensaje reenviado\s?:)\s*$", _I)
RULE_LINE = re.compile(r"^\s*[-_]{10,}\s*$")
# A rule with a few words in it, in any language: '-------- Исходное сообщение --------'.
LABELLED_RULE = re.compile(r"^\s*[-_=*]{3,}[ \t]+\S.{0,60}?\S[ \t]+[-_=*]{3,}\s*$")
# A `Label: value` line: a label of one to four words of letters in any script, Outlook's bold
# stars around it in text form, a colon (also the full-width one).
LABEL_LINE = re.compile(r"^[ \t]*\*{0,2}[^\W\d_][^\W\d_]*(?:[ .'-][^\W\d_]+){0,3}\*{0,2}[ \t]*[:：][ \t]*\*{0,2}(.*)$")
# A subject that answers or forwards: the prefixes clients write, in the languages we see.
REPLY_SUBJECT = re.compile(r"^\s*(?:re|aw|sv|vs|antw|odp|ynt|fw|fwd|wg|tr|rv|enc|pd|ответ|отв|пересл|回复|答复|回覆"
                           r"|返信|転送|转发)\s*(?:\[\d+\])?\s*[:：]", _I)
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
FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|fw|wg|tr|rv|enc|doorst|pd|vs|vb|vl|vid|fs|rif|i|пересл|fwd"
                             r"|转发|轉寄|転送)\s*[:：]",
                             _I)

# Outlook's block of header lines above the quoted mail, in the languages we serve.
HEADER_FROM = re.compile(r"^\s*\*?(?:From|Von|De|Da|Van|Från|Fra|От|Od|差出人|发件人|寄件者|送信者)"
                         r"\s?\*?\s?[:：]\*?\s*\S", _I)
HEADER_OTHER = re.compile(
    r"^\s*\*?(?:Sent|Date|To|Cc|Subject|Gesendet|Datum|An|Betreff|Envoyé|À|A|Objet|Enviado|Fecha|Para|Asunto"
    r"|Inviato|Oggetto|Verzonden|Aan|Onderwerp|Skickat|Till|Ämne|Отправлено|Дата|Кому|Копия|Тема|Wysłano|Data|Do"
    r"|DW|Temat|送信日時|日付|宛先|件名|发送时间|日期|收件人|抄送|主题|傳送時間|收件者|主旨)\s?\*?\s?[:：]", _I)

# Footers that mail apps append: a signature, never something the customer wrote. An app or
# device name is at most four words ('Samsung Galaxy smartphone.'); a longer line is a sentence.
_APP = r"\S+(?:[ \t]\S+){0,3}"
APP_FOOTER = re.compile(
    r"^(?:Sent from my " + _APP
    + r"|Sent from (?:Yahoo Mail|Mail|Outlook|AOL|Samsung|Gmail)(?: for| on)?(?: " + _APP + r")?"
    r"|Sent with Proton Mail(?: " + _APP + r")?|Sent via " + _APP + r"|Get Outlook for (?:iOS|Android)\S*"
    r"|Von meinem " + _APP + r" gesendet|Gesendet von (?:meinem )?" + _APP
    + r"|Holen Sie sich Outlook für (?:iOS|Android)\S*"
    r"|Envoyé de mon " + _APP + r"|Envoyé depuis (?:mon )?" + _APP + r"|Envoyé à partir de " + _APP
    + r"|Obtenez Outlook pour (?:iOS|Android)\S*|Télécharger Outlook pour (?:iOS|Android)\S*"
    r"|Enviado desde (?:mi )?" + _APP + r"|Obtener Outlook para (?:iOS|Android)\S*"
    r"|Sent from Mail\S* for Windows(?: \d+)?|Отправлено из " + _APP + r"|Wysłane z (?:mojego )?" + _APP
    + r"|iPhoneから送信|从我的iPhone发送|發自我的 iPhone|Inviato da " + _APP + r")\s*$", _I)
SIGNATURE_DELIMITER = re.compile(r"^--\s?$")
# A mailing list's footer under a rule: the list's address, its web page, how to leave it.
FOOTER_RULE = re.compile(r"^\s*(?:[-_=]{10,}|[-_=*]{3,}.{0,40}[-_=*]{3,})\s*$")
FOOTER_LINE = re.compile(r"https?://|@|unsubscribe|mailing list|listinfo|abmelden|désabonner|darse de baja", _I)
