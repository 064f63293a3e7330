"""French phrasings for the training-set generator (see phrases_en.py for the slots)."""

GREETINGS = ["Bonjour,", "Bonjour Madame, Monsieur,", "Madame, Monsieur,", "Bonsoir,", "",
             "Bonjour à toute l'équipe,", "Salut,"]
CLOSINGS = ["Cordialement,", "Merci d'avance,", "Bien à vous,", "Merci,", "Bonne journée,", "",
            "Dans l'attente de votre réponse,", "Bien cordialement,"]
NAMES = ["Camille Martin", "Julien Bernard", "Léa Dubois", "Nicolas Moreau", "Chloé Laurent", "Antoine Girard",
         "Manon Lefèvre", "Hugo Rousseau", "Inès Benali", "Sébastien Fournier"]
MOBILE = ["Envoyé de mon iPhone", "Envoyé depuis mon appareil Galaxy", "Obtenir Outlook pour Android"]
ACCESSORIES = ["filtres papier", "filtre métallique", "bouchon Flow Control", "support de filtre",
               "joint de rechange", "housse de voyage", "entonnoir", "cuillère doseuse"]
COLORS = ["transparente", "ambre", "violette", "noire", "bleue"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
DATE_FORMAT = "{day} {month}"
ORDER_WORDS = ["commande", "commande n°", "numéro de commande", "commande no"]

SUBJECTS = {
    "presales.general": [
        "Question sur l'{product}", "Livraison en {country} ?", "Code promo", "Petite question",
        "Avant de commander", "Moyens de paiement",
    ],
    "presales.complex": [
        "Conseil pour plusieurs modèles", "Cumuler les réductions ?", "Cadeaux pour l'équipe",
        "Devis avec plusieurs accessoires", "Calcul du prix total",
    ],
    "wholesale": [
        "Demande grossiste", "Tarifs revendeurs", "Commande en gros", "Distribution en {country}",
        "Proposition commerciale {business}",
    ],
    "order.tracking": [
        "Où est ma commande ?", "Le suivi ne bouge plus", "Commande {order}", "Colis bloqué",
        "Date de livraison", "Colis non reçu",
    ],
    "returns": [
        "Retour", "Je souhaite retourner l'{product}", "Retour commande {order}", "Étiquette de retour",
        "Échange de modèle",
    ],
    "refunds": [
        "Remboursement", "Où en est mon remboursement ?", "Remboursement commande {order}",
        "Montant du remboursement", "Remboursement refusé",
    ],
    "complaint.simple": [
        "Réclamation", "Très déçu", "Arrivé cassé", "Service client désagréable", "Mécontentement",
    ],
    "complaint.complex": [
        "Réclamation sur plusieurs commandes", "Dernier avertissement avant rétrofacturation", "Escalade",
        "Plusieurs problèmes", "Action en justice",
    ],
    "privacy": [
        "Supprimer mon compte", "Demande RGPD", "Désinscription", "Rectification de mes données",
        "Accès à mes données",
    ],
}

BODIES = {
    "presales.general": [
        "j'hésite à acheter l'{product}. Peut-on faire un café serré façon espresso avec ?",
        "livrez-vous en {country} ? Combien de temps prend la livraison en général ?",
        "L'{product} passe-t-elle au lave-vaisselle ? Je préfère savoir avant de commander.",
        "le code {coupon} ne fonctionne pas dans le panier. Est-il réservé à certains produits ? Je n'ai pas "
        "encore commandé.",
        "L'{product} est-elle livrée avec des filtres ou faut-il acheter les {accessory} à part ?",
        "Peut-on payer par PayPal ou par virement ? Au moment du paiement je ne vois que la carte bancaire.",
        "Le {accessory} est-il compatible avec l'{product} ? Je ne veux pas me tromper.",
        "Quel modèle conseillez-vous pour le camping ? Il me faut quelque chose de léger.",
        "Avez-vous l'{product} en {color} ? Sur la fiche produit je ne vois qu'une photo.",
        "Si je paie en dollars, aurai-je des frais de douane à la livraison en France ?",
    ],
    "presales.complex": [
        "je voudrais offrir {qty} cafetières à mon équipe, un mélange d'{product} et d'{product2}, chacune avec "
        "des {accessory}. Quel serait le total en cumulant le prix du pack et le code {coupon} ?",
        "pouvez-vous m'aider à composer un ensemble ? L'{product} pour la maison, l'{product2} pour voyager, plus "
        "{accessory} et {accessory2}. Quels filtres vont avec quoi, et y a-t-il une remise groupée ?",
        "Vous proposez {percent}% sur l'{product} et une autre offre avec un accessoire offert. Les deux "
        "sont-elles cumulables sur la même commande ? J'ai besoin du prix exact pour deux cafetières et trois "
        "paquets de filtres.",
        "Nous sommes quatre amis et voulons passer une commande groupée avec des modèles différents et des "
        "accessoires pour chacun. La remise sur quantité se cumule-t-elle avec le code de bienvenue ?",
        "Je compare l'{product}, l'{product2} et la XL pour un bureau de dix personnes. Laquelle choisir, combien "
        "de filtres par mois, et existe-t-il un tarif pour un an de filtres ?",
        "Pour Noël je cherche cinq cafetières différentes avec leurs accessoires. Quelle combinaison "
        "conseillez-vous et comment s'additionnent les soldes et le code première commande ?",
        "Merci de me faire un devis pour : 1x {product}, 1x {product2}, 2x {accessory}, 1x {accessory2}, avec "
        "les {percent}% de remise et mes points fidélité. Le panier n'applique qu'une seule réduction.",
        "Qu'est-ce qui revient le moins cher : le pack avec {accessory} ou tout séparément avec le code "
        "{coupon} ? Je prendrais deux packs et un {accessory2} en plus.",
        "J'ai besoin de conseils sur plusieurs modèles et accessoires en même temps : compatibilité entre eux et "
        "calcul de toutes les réductions cumulées avant de payer.",
    ],
    "wholesale": [
        "nous tenons un coffee shop à {city} et souhaitons vendre des AeroPress et des filtres. Proposez-vous des "
        "prix de gros et quel est le minimum de commande ?",
        "Je suis acheteur chez {business}. Nous souhaitons acheter environ {qty} unités de l'{product} pour la "
        "revente. Pouvez-vous nous envoyer vos tarifs revendeurs et conditions de paiement ?",
        "nous sommes distributeurs en {country} et aimerions travailler avec vous. Quelles sont vos conditions "
        "pour des achats en gros ?",
        "Notre torréfacteur voudrait ajouter une AeroPress dans ses box d'abonnement, environ {qty} par mois. "
        "Y a-t-il une remise pour des commandes en volume régulières ?",
        "Nous avons besoin de {qty} unités comme cadeaux d'entreprise pour un événement. Avez-vous un tarif "
        "dégressif et une livraison à {city} avant le {date} ?",
        "Nous gérons une chaîne de magasins d'arts de la table et demandons un devis pour {qty} {product} et "
        "{qty2} paquets de {accessory}.",
        "Pouvez-vous ouvrir un compte professionnel pour {business} ? Nous achèterions en gros pour notre école "
        "de baristas.",
        "Quel est votre prix unitaire à partir de {qty} pièces ? Fournissez-vous des présentoirs pour les "
        "revendeurs ?",
        "J'ouvre une boutique à {city} et je voudrais revendre les produits AeroPress. Quelle est la remise "
        "grossiste et la quantité minimale ?",
    ],
    "order.tracking": [
        "ma commande {order} a été expédiée il y a {days} jours mais le suivi n'a pas bougé depuis le premier "
        "scan. Pouvez-vous voir avec {carrier} ?",
        "le numéro de suivi {tracking} indique seulement 'étiquette créée'. Le colis a-t-il quitté votre "
        "entrepôt ?",
        "quand vais-je recevoir ma commande ? J'ai commandé le {date} et je n'ai reçu aucun e-mail "
        "d'expédition. Commande {order}.",
        "Selon {carrier}, mon colis est bloqué en douane à {city}. Dois-je faire quelque chose ?",
        "Le suivi de la commande {order} indique livré, mais je n'ai rien reçu, ni chez moi ni chez les voisins.",
        "mon colis est bloqué en transit depuis {days} jours. Merci de vérifier où il se trouve.",
        "Pouvez-vous me donner la date de livraison prévue pour la commande {order} ? Je pars en voyage le "
        "{date}.",
        "Le statut de ma commande est 'en préparation' depuis {days} jours. A-t-elle été expédiée ? Numéro de "
        "commande {order}.",
        "Avez-vous un numéro de suivi pour ma commande ? La confirmation n'en contenait pas. {order}",
    ],
    "returns": [
        "je souhaite retourner l'{product} de la commande {order}. Elle n'a pas servi et est dans sa boîte. "
        "Comment faire le retour ?",
        "j'ai reçu la mauvaise couleur, j'avais commandé {color}. Je voudrais la renvoyer et recevoir la bonne.",
        "Puis-je encore retourner mon {product} ? Je l'ai acheté il y a {weeks} semaines, je suis dans les 60 "
        "jours je crois.",
        "merci de m'envoyer une étiquette de retour pour la commande {order}. Le {accessory} ne s'adapte pas à "
        "ma cafetière.",
        "On m'a offert l'{product} mais j'en ai déjà une. Est-il possible de la retourner ?",
        "Demande de retour : commande {order}, modèle {product}, motif : commandé deux fois par erreur. Merci de "
        "m'envoyer un numéro d'autorisation de retour.",
        "Puis-je échanger l'{product} contre l'{product2} ? Je ne l'ai pas ouverte.",
        "Je veux retourner seulement une partie de la commande {order} : le {accessory}. Je garde la cafetière.",
        "À quelle adresse dois-je renvoyer le colis ? Le produit ne me convient pas. Commande {order}.",
    ],
    "refunds": [
        "j'ai renvoyé l'{product} le {date} et le suivi indique que vous l'avez reçue. Quand serai-je "
        "remboursé ?",
        "j'ai reçu le remboursement de la commande {order} mais il manque {amount}. Les frais de port ont-ils "
        "été déduits ? Le retour devait être gratuit.",
        "cela fait {days} jours ouvrés que mon retour a été contrôlé et le remboursement n'apparaît toujours pas "
        "sur ma carte.",
        "Vous avez refusé mon remboursement en disant que l'{product} avait servi, alors que j'ai seulement "
        "ouvert la boîte. Quelle clause appliquez-vous ? Merci de revoir la décision.",
        "Pouvez-vous confirmer que le remboursement a été fait sur PayPal et non sur ma carte ? Commande {order}.",
        "On ne m'a remboursé qu'une partie, le {accessory} n'a pas été remboursé.",
        "Combien de temps faut-il pour le remboursement après réception du retour ? Je l'ai envoyé le {date}.",
        "Le remboursement a été validé le {date} mais rien n'est arrivé sur mon compte. Pouvez-vous me donner la "
        "référence de la transaction ?",
        "Le remboursement comprend-il aussi les frais de port initiaux ? Commande {order}.",
    ],
    "complaint.simple": [
        "je suis très déçu. L'{product} est arrivée fêlée et le carton était écrasé.",
        "je souhaite déposer une réclamation concernant votre conseiller au téléphone, qui a été désagréable et "
        "ne m'a pas aidé.",
        "C'est inadmissible : j'attends une réponse du service client depuis {days} jours.",
        "L'{product} sent fortement le plastique même après cinq lavages. Je ne suis pas du tout satisfait de "
        "la qualité.",
        "L'emballage était lamentable, tout en vrac dans un grand carton, et le {accessory} est arrivé tordu.",
        "Réclamation : j'ai payé la livraison express et le colis est arrivé en livraison standard.",
        "Le joint de mon {product} était déchiré dès le déballage. Contrôle qualité très insuffisant.",
        "Le code promo {coupon} annoncé partout n'a pas marché et j'ai payé plein tarif. Franchement pénible.",
        "Je porte plainte auprès de vous : le produit a l'air d'occasion, avec des rayures et des traces de "
        "doigts.",
    ],
    "complaint.complex": [
        "j'ai deux commandes, {order} et {order2}. La première est arrivée cassée, la seconde jamais, et ma "
        "demande de remboursement a été ignorée. Sans solution sous huit jours, je demanderai une "
        "rétrofacturation à ma banque.",
        "Ceci est une réclamation formelle. Votre transporteur a perdu mon colis, le service client a promis un "
        "remplacement jamais envoyé, et ma carte a été débitée deux fois.",
        "Sur mes trois dernières commandes ({order}, {order2}, {order3}) il y a eu un problème à chaque fois. Je "
        "veux qu'une seule personne reprenne l'ensemble.",
        "Votre entrepôt dit que le retour n'est jamais arrivé, {carrier} dit qu'il a été livré, et le service "
        "remboursement me renvoie vers l'entrepôt. Personne n'assume.",
        "Je saisirai une association de consommateurs et mon avocat si rien n'est fait. Code promo non appliqué, "
        "livraison avec un mois de retard, et maintenant refus du retour.",
        "Sans réponse aujourd'hui, je fais opposition sur le paiement auprès de ma banque. Le remboursement a été "
        "promis deux fois.",
        "Réclamation concernant les commandes {order} et {order2} : mauvais modèle les deux fois, et je dois "
        "payer le port pour l'échange. J'exige un dédommagement.",
        "J'escalade ce dossier. Commande {order} abîmée, commande de remplacement {order2} en retard, et vos "
        "réponses se contredisent.",
        "Plusieurs problèmes à la fois : double débit, cafetière cassée et code de réduction retiré après le "
        "paiement. J'attends une solution globale, sinon j'engagerai une action en justice.",
    ],
    "privacy": [
        "merci de supprimer mon compte et toutes mes données personnelles.",
        "conformément au RGPD, je demande l'accès à toutes les données personnelles que vous détenez sur moi.",
        "Désinscrivez-moi de toutes vos newsletters. Je continue à les recevoir malgré ma désinscription.",
        "J'ai déménagé, merci de corriger mon adresse dans mon compte, le site ne me permet pas de la modifier.",
        "Je voudrais savoir quelles informations vous conservez sur moi et avec qui vous les partagez.",
        "Droit à l'effacement : effacez le compte associé à cette adresse e-mail et confirmez-le-moi.",
        "Pouvez-vous exporter mes données dans un fichier ? J'ai besoin de mon historique d'achats.",
        "Mon nom est mal orthographié dans mon compte, pouvez-vous le rectifier ?",
        "Je retire mon consentement à recevoir de la publicité par e-mail et par téléphone.",
    ],
}

QUOTED = [
    "Merci d'avoir contacté aeropressmall.com. Nous avons bien reçu votre demande [#HD-{ticket}] et vous "
    "répondrons sous 2 jours ouvrés.",
    "Votre commande {order2} a été expédiée avec {carrier}. Numéro de suivi : {tracking}.",
    "Merci pour votre commande {order2} : 1x {product2}, total {amount}.",
    "Votre numéro d'autorisation de retour est RA-{ticket}. Merci d'envoyer le colis à notre entrepôt de retours.",
]
ATTRIBUTION = ["Le {date}, aeropressmall.com <support@aeropressmall.com> a écrit :",
               "-----Message d'origine-----\nDe : aeropressmall.com <support@aeropressmall.com>\nEnvoyé : {date}\n"
               "Objet : Votre commande"]
FILLERS = ["J'espère que c'est la bonne adresse.", "Désolé pour ce long message.", "Je suis client depuis des années.",
           "Merci pour votre aide.", "Je n'ai pas trouvé la réponse dans la FAQ.", "Dans l'attente de votre retour."]
WRONG_ADDRESS = ["Pardon si je me trompe d'adresse.", "Si ce n'est pas le bon service, merci de transférer."]
ATTACH_NOTES = ["Photo en pièce jointe.", "Je joins une photo.", "Capture d'écran jointe.", "Voir la pièce jointe."]

# D'autres formulations, ajoutées à la fin pour que les modèles existants gardent leur partition.
BODIES["presales.general"] += [
    "L'{product} fonctionne-t-elle avec du café moulu du supermarché ?",
    "Quelle est la durée de la garantie si j'achète l'{product} chez vous ?",
    "Avez-vous une réduction étudiante ? J'aimerais commander avant la rentrée.",
    "Le {accessory} apparaît deux fois dans la boutique avec des prix différents. Lequel est le bon ?",
]
BODIES["presales.complex"] += [
    "Je veux commander pour toute la famille : l'{product} pour mes parents, l'{product2} pour ma sœur, et "
    "des filtres pour un an. Combien avec le pack et le code {coupon} ?",
    "Quels bouchons vont sur quels modèles, la remise de {percent}% se cumule-t-elle avec les accessoires "
    "offerts, et combien coûtent quatre cafetières avec pièces de rechange ?",
    "Il me faut un kit complet pour un club café de six personnes, deux modèles différents et leurs filtres, "
    "avec le calcul de la remise de groupe et du prix soldé.",
    "Je compte prendre l'{product}, l'{product2} et la XL avec des {accessory} assortis. Qu'est-ce qui est "
    "compatible et quel est le total après toutes les remises ?",
]
BODIES["wholesale"] += [
    "Nous sommes une chaîne de librairies-cafés et voulons proposer l'AeroPress en caisse. Minimum de commande "
    "et prix professionnel ?",
    "Importateur en {country}, je cherche des quantités par conteneur de cafetières et de filtres. Merci de "
    "m'indiquer vos meilleurs prix de gros et conditions de livraison.",
    "Notre boutique en ligne de café cherche un fournisseur : {qty} unités pour commencer, puis chaque "
    "trimestre. Quelle marge pour les revendeurs ?",
    "Notre entreprise équipe {qty} cuisines de bureau. Pouvons-nous ouvrir un compte professionnel avec "
    "facturation mensuelle ?",
]
BODIES["order.tracking"] += [
    "Le lien de suivi dans votre e-mail mène à une page d'erreur. Où voir où est mon colis ? {order}",
    "{carrier} a renvoyé mon colis à l'expéditeur à cause d'un mauvais code postal. Pouvez-vous le "
    "réexpédier ? Commande {order}.",
    "Quand la commande {order} sera-t-elle expédiée ? Cela fait déjà {days} jours.",
    "bonjour, il est où mon colis ?? commandé il y a {weeks} semaines, {order}, toujours rien",
]
BODIES["returns"] += [
    "L'{product} est plus grande que prévu et ne rentre pas dans mon sac. Je voudrais la renvoyer, commande "
    "{order}.",
    "Le {accessory} s'est fendu à la première utilisation. Comment obtenir un numéro de retour ?",
    "Je renvoie toute la commande {order}, je me suis trompé de modèle. Où dois-je l'expédier ?",
    "Mon fils a déjà reçu une {product} pour son anniversaire et la nôtre est encore sous blister. Puis-je la "
    "retourner ?",
]
BODIES["refunds"] += [
    "Vous m'avez écrit que mon retour a passé le contrôle le {date}. Quand l'argent revient-il sur ma Visa ?",
    "Pourquoi n'ai-je été remboursé que de {amount} ? J'ai payé plus pour la commande {order}.",
    "Mon remboursement a été refusé et l'e-mail ne dit pas pourquoi. Pouvez-vous détailler les motifs ?",
    "bonjour, des nouvelles du remboursement de l'{product} que j'ai renvoyée ? commande {order}",
]
BODIES["complaint.simple"] += [
    "Je suis vraiment mécontent : l'{product} fuit par le bas à chaque utilisation.",
    "Votre livreur a été impoli et a refusé de monter le colis. Je n'attends pas ça d'une boutique comme la "
    "vôtre.",
    "La couleur de mon {product} n'a rien à voir avec les photos du site. Très trompeur.",
    "Pas du tout satisfait : le carton est arrivé ouvert et rescotché, et le {accessory} manquait.",
]
BODIES["complaint.complex"] += [
    "J'ouvre un litige formel. La commande {order} a été débitée deux fois, il manque un article dans la "
    "{order2}, et votre support ferme mes tickets. Je veux parler à un responsable.",
    "Si mon argent n'est pas revenu lundi, je demanderai à ma banque d'annuler les deux paiements. Le colis "
    "n'est jamais arrivé et le service remboursement dit que c'est un problème de livraison.",
    "Expédition, entrepôt des retours et service client se renvoient la balle, et après six semaines j'ai "
    "toujours une cafetière cassée et aucun remboursement.",
    "Cela concerne les commandes {order}, {order2} et la commande d'échange {order3} : mauvais articles, un "
    "colis perdu et un remboursement rejeté. J'exige un dédommagement pour l'ensemble.",
]
BODIES["privacy"] += [
    "Je ne veux plus que vous conserviez mon adresse et mon numéro de téléphone. Merci de les supprimer.",
    "merci de m'envoyer une copie de toutes les données que vous avez sur moi, dans un format lisible par "
    "machine.",
    "Mon adresse e-mail a changé. Merci de la mettre à jour et de supprimer l'ancienne.",
    "Je n'ai jamais accepté de recevoir des SMS publicitaires. Retirez mon numéro de vos listes et dites-moi "
    "où vous l'avez obtenu.",
]
