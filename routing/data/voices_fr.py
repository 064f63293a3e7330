"""French customer voices for the training-set generator (see voices_en.py for what each list is)."""

ASKS = {
    "presales.general": [
        "est-ce qu'une housse est fournie avec la {product} ?",
        "La {product} est-elle lourde ? Je veux l'emporter en randonnée.",
        "Peut-on faire du thé avec la {product} ?",
        "Acceptez-vous Apple Pay ou le virement ?",
        "Quelle mouture conseillez-vous pour la {product} ?",
        "Le {accessory} est-il en inox ou en plastique ?",
        "Vos produits sont-ils neufs et officiels ?",
        "Comment nettoie-t-on la {product} ? Je voudrais savoir avant d'acheter.",
        "Y a-t-il une réduction pour une première commande ?",
        "Combien de temps dure le joint en caoutchouc ?",
        "Que contient la boîte de la {product} ?",
        "D'où expédiez-vous ?",
        "Quel modèle conseillez-vous à un débutant qui boit une tasse par jour ?",
        "Quelle différence avec une cafetière à piston ?",
    ],
    "presales.complex": [
        "Je voudrais la {product}, la {product2} et un {accessory} pour chacune. Comment se cumulent les remises ?",
        "Pouvez-vous calculer le total de deux cafetières et trois paquets de filtres avec le code {coupon} ?",
        "Quels accessoires vont sur la {product} et la {product2} ? Je commanderais tout ensemble.",
        "Le bon d'achat se cumule-t-il avec la promo de {percent} % si j'achète trois cafetières ?",
        "Pour {few} personnes je veux des modèles différents. Combien pour le tout ?",
        "Le {accessory} est-il compatible avec tous les modèles ?",
        "Le lot est-il moins cher que les articles séparés pour la {product}, la {product2} et des pièces ?",
        "Peut-on partager joints et filtres entre la {product} et la {product2} ?",
    ],
    "wholesale": [
        "Nous souhaitons vendre l'AeroPress dans notre boutique. Quels sont vos tarifs revendeurs ?",
        "Merci de nous faire un devis pour {qty} {product} destinées à la revente.",
        "À partir de quelle quantité avez-vous des prix de gros ?",
        "Travaillez-vous avec des distributeurs en {country} ?",
        "Il nous faut {qty} cafetières comme cadeaux clients. Y a-t-il un tarif dégressif ?",
        "Pouvons-nous ouvrir un compte professionnel avec paiement sur facture ?",
        "Notre torréfaction aimerait vendre environ {qty} cafetières par mois avec nos cafés.",
        "Merci de nous envoyer une grille tarifaire pour les commandes en gros.",
        "Pour notre hôtel nous avons besoin de {qty} cafetières, une par chambre.",
    ],
    "order.tracking": [
        "où est ma commande {order} ?",
        "Le suivi de {order} ne bouge plus depuis {days} jours.",
        "Indiqué livré, mais je n'ai rien reçu. Commande {order}.",
        "Quand la commande {order} sera-t-elle expédiée ?",
        "Pouvez-vous m'envoyer le numéro de suivi de {order} ?",
        "Le colis est bloqué en douane. Commande {order}.",
        "Puis-je encore changer l'adresse de livraison de {order} ?",
        "Le lien de suivi ne marche pas. Où est mon colis ? {order}",
        "La commande {order} devait arriver le {date}. Toujours rien.",
        "Une partie seulement de la commande {order} est arrivée.",
        "Mon colis {order} est-il perdu ? Déjà {weeks} semaines.",
    ],
    "returns": [
        "Je voudrais retourner la commande {order}.",
        "Comment renvoyer la {product} ? Jamais utilisée.",
        "Puis-je échanger la {product} contre la {product2} ? Commande {order}.",
        "Merci de m'envoyer une étiquette de retour pour {order}.",
        "Le {accessory} ne va pas, je veux le retourner. {order}",
        "Mauvais article reçu, je veux le renvoyer. Commande {order}.",
        "Puis-je encore retourner la {product} après {weeks} semaines ?",
        "À quelle adresse envoyer le retour ?",
        "Faut-il un numéro d'autorisation de retour ?",
        "Commandé deux fois par erreur, j'en renvoie une. {order}",
    ],
    "refunds": [
        "Quand serai-je remboursé pour {order} ?",
        "Vous avez reçu mon retour le {date} mais je n'ai pas été remboursé.",
        "Le remboursement de {order} est inférieur à ce que j'ai payé.",
        "Pourquoi mon remboursement a-t-il été refusé ? Commande {order}.",
        "Le remboursement de {order} a-t-il été effectué ?",
        "Le remboursement est parti sur une carte que je n'ai plus.",
        "J'ai été remboursé deux fois pour {order}, comment vous rendre l'argent ?",
        "Les frais de retour sont-ils remboursés ?",
        "J'ai reçu un avoir alors que je voulais être remboursé. {order}",
    ],
    "complaint.simple": [
        "Je suis très mécontent : la {product} est arrivée abîmée. Commande {order}.",
        "Je souhaite me plaindre de votre service client.",
        "Le carton était trempé et les filtres fichus. Ce n'est pas normal.",
        "L'annonce promettait {accessory} inclus, il n'y était pas. C'est trompeur.",
        "La cafetière avait clairement déjà servi. Inadmissible.",
        "Aucune réponse depuis {days} jours. Service déplorable.",
        "Votre livreur a jeté le colis par-dessus la clôture.",
        "La {product} s'est fissurée à la première utilisation. Très déçu.",
    ],
    "complaint.complex": [
        "Les commandes {order} et {order2} ont toutes les deux mal tourné. Ceci est une réclamation officielle.",
        "Remboursez-moi avant vendredi ou je fais opposition auprès de ma banque.",
        "Je vais voir un avocat au sujet de {order}.",
        "L'entrepôt, la comptabilité et le service client se renvoient la balle.",
        "Trois commandes, trois problèmes : {order}, {order2}, {order3}.",
        "Si ce n'est pas réglé cette semaine, je saisis une association de consommateurs.",
        "Colis perdu, remboursement refusé, conseiller impoli. J'escalade.",
    ],
    "privacy": [
        "Merci de supprimer mon compte.",
        "Désinscrivez-moi de la newsletter.",
        "Je veux une copie de toutes mes données.",
        "Merci de corriger mon nom sur mon compte.",
        "Supprimez mon numéro de téléphone.",
        "Quelles données conservez-vous sur moi ?",
        "Effacez toutes mes données conformément au RGPD.",
        "Plus de mails publicitaires, merci.",
        "Mettez à jour mon adresse postale, s'il vous plaît.",
    ],
}

CONTEXT = {
    "presales.general": ["Je bois du café filtre depuis des années et je veux essayer autre chose.",
                         "Ma sœur ne jure que par son AeroPress.", "C'est pour offrir à mon mari."],
    "presales.complex": ["Noël approche et toute la famille boit du café.", "Mon budget est d'environ {amount}.",
                         "Le panier calcule les remises différemment à chaque fois."],
    "wholesale": ["Nous avons ouvert un deuxième café à {city}.", "Nos clients nous demandent souvent l'AeroPress.",
                  "Je m'occupe des achats chez {business}."],
    "order.tracking": ["C'est un cadeau, je commence à m'inquiéter.", "J'ai commandé le {date}.",
                       "J'ai demandé à tous les voisins."],
    "returns": ["Je ne l'ai utilisée qu'une fois.", "Elle est encore dans son emballage d'origine.",
                "Je ne pensais pas qu'elle serait si grande."],
    "refunds": ["Le retour avait le numéro de suivi {tracking}.", "Votre e-mail dit que l'article a été contrôlé.",
                "Cela fait plus de deux semaines."],
    "complaint.simple": ["Je suis client depuis des années.", "C'était un cadeau d'anniversaire.", "Photos en pièce jointe."],
    "complaint.complex": ["Cela dure depuis plus d'un mois.", "Je vous ai déjà écrit quatre fois.",
                          "J'ai gardé tous les e-mails."],
    "privacy": ["Je n'achète plus chez vous.", "Je fais le tri dans mes comptes en ligne.", "J'ai déménagé."],
}

MORE = {
    "presales.general": ["Expédiez-vous le week-end ?", "La garantie est-elle valable en {country} ?",
                         "Le plastique est-il sans BPA ?"],
    "presales.complex": ["Tout peut-il partir dans un seul colis ?", "Quels filtres pour quelle cafetière ?"],
    "wholesale": ["Quelles sont vos conditions de paiement ?", "Quel est le délai de livraison ?",
                  "Pouvez-vous envoyer des échantillons ?"],
    "order.tracking": ["Pouvez-vous vérifier auprès du transporteur ?", "Merci de m'indiquer la date de livraison prévue."],
    "returns": ["Y a-t-il une étiquette prépayée ?", "Combien de temps prend l'échange ?"],
    "refunds": ["Pouvez-vous m'envoyer une référence de transaction ?", "Quelque chose a-t-il été déduit ?"],
    "complaint.simple": ["J'attends un remplacement.", "Merci de régler ce problème."],
    "complaint.complex": ["J'attends une réponse écrite sur l'ensemble.", "Je veux parler à un responsable."],
    "privacy": ["Merci de me confirmer la suppression.", "Je n'ai plus besoin du compte."],
}

CHATTER = ["J'espère que vous allez bien.", "Désolé, j'écris depuis mon téléphone.", "J'adore votre boutique au passage.",
           "Pardon pour ce long message.", "Bonjour de {city} !"]
FORWARD_INTROS = ["Voir ci-dessous.", "Je vous transfère ceci, pouvez-vous aider ?", "Merci de lire le message ci-dessous."]
FOLLOWUPS = ["Bonjour, du nouveau ?", "Je reviens vers vous au sujet de ma demande de la semaine dernière.",
             "Avez-vous des nouvelles ?", "J'attends toujours une réponse."]
BUSINESS_SIGNATURES = [["{name}", "Responsable achats | {business}", "{city}"], ["Cordialement,", "{name}", "{business}"]]
DISCLAIMERS = ["Ce message et ses pièces jointes sont confidentiels. Si vous n'en êtes pas le destinataire, merci de le "
               "supprimer."]

OTHER = [
    ("Demande presse", "Je suis journaliste et je prépare un article sur les boutiques de café en ligne. Auriez-vous un "
     "moment pour un entretien ?"),
    ("Candidature", "Madame, Monsieur, je vous adresse ma candidature pour un poste au service client. Mon CV est en "
     "pièce jointe."),
    ("Référencement", "Notre agence améliore la visibilité des boutiques en ligne sur Google. Puis-je vous envoyer un "
     "audit gratuit ?"),
    ("Partenariat", "Je suis créatrice de contenu café et je vous propose une collaboration rémunérée."),
    ("Tarifs transport", "Nous sommes transporteur et proposons des tarifs avantageux aux sites e-commerce."),
    ("Enquête", "Je suis étudiant et je réalise une étude sur les petits commerçants en ligne. Accepteriez-vous de "
     "répondre à un questionnaire ?"),
    ("Facture impayée", "Notre facture pour les travaux d'impression est toujours impayée. Merci de procéder au "
     "règlement."),
    ("Salon", "Nous vous invitons à exposer au salon du café de {city}."),
]
