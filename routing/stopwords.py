"""Function words, greetings and reply prefixes in the four languages the shop gets mail in.

They say nothing about which queue a message belongs to, yet in a few hundred examples they
correlate with one by chance; left out of the word features, they no longer sway the model or
crowd the words a routing reason names. Character n-grams still see them. "ap" is the prefix of
every order number, which the order signal already counts.
"""
from __future__ import annotations

from sklearn.feature_extraction.text import strip_accents_unicode

_WORDS = {
    "mail": "re aw fw fwd wg tr rv ap",
    "en": "a an and are as at be but by for from has have i i'm if in into is it its me my of on or our so that "
          "the their them then there this to was we were will with would you your hi hello dear thanks thank "
          "regards best cheers please",
    "de": "der die das den dem des ein eine einen einem einer und oder aber ist sind war bin ich du sie wir ihr "
          "es mit von vom zu zum zur auf aus bei für im in an am als auch noch nur schon so wie was mein meine "
          "meinen meiner mir mich uns euch ihnen hallo gruß grüße viele danke bitte",
    "es": "el la los las un una unos unas y o pero es son soy estoy de del al a en con por para que como mi mis "
          "me mí su sus nos les lo le se ya muy más hola gracias saludos",
    "fr": "le la les un une des et ou mais est sont suis je tu il elle nous vous ils de du au aux à en dans avec "
          "pour par que qui quoi comme mon ma mes me moi votre vos notre ce cet cette se ne plus bonjour merci "
          "cordialement",
}

# Accents stripped the way the vectorizer strips them from the text.
STOP_WORDS = sorted({strip_accents_unicode(word) for words in _WORDS.values() for word in words.split()})
