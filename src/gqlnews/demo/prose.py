"""Sentence pools the article bodies are composed from.

Placeholders (``str.format``): ``{subject}``, ``{actor}``, ``{stake}`` (singular noun phrases
with their definite article; capitalised variants ``{Subject}``, ``{Actor}``, ``{Stake}``),
``{place}`` (a city, only ever after « à »), ``{figure}`` (a person's name, never after « de »
or « que »), ``{figure_desc}`` and ``{jour}`` (a weekday). The sentences avoid agreeing with
the placeholders, so they read correctly whatever their gender.
"""

from __future__ import annotations

NEWS = (
    "{Actor} a confirmé {jour} que le calendrier annoncé serait tenu, sans donner davantage de "
    "détails.",
    "Dans l'entourage du dossier, on reconnaît que {stake} reste la principale source "
    "d'inquiétude.",
    "{Subject} fait l'objet de discussions depuis plusieurs mois, souvent loin des caméras.",
    "Selon plusieurs sources concordantes, les premières réunions techniques ont déjà eu lieu "
    "à {place}.",
    "Rien, pour l'heure, ne permet d'affirmer que les positions se sont réellement rapprochées.",
    "Les observateurs notent toutefois un changement de ton par rapport aux déclarations du "
    "printemps.",
    "Un communiqué publié dans la soirée évoque « des échanges francs et constructifs », une "
    "formule qui laisse beaucoup de place à l'interprétation.",
    "{Actor} doit rendre compte de ces avancées dans les prochains jours.",
    "L'opposition, de son côté, réclame davantage de transparence sur le contenu des discussions.",
    "Les chiffres avancés varient selon les sources, ce qui invite à la prudence.",
    "Sur le terrain, l'attente est réelle : beaucoup espèrent des effets concrets avant la fin "
    "de l'année.",
    "Pour {actor}, l'enjeu est aussi de montrer que les engagements pris seront suivis d'effets.",
    "Plusieurs experts consultés par L'Observateur soulignent que {stake} ne se réglera pas en "
    "quelques semaines.",
    "La question du financement n'a pas été tranchée, et elle pourrait ralentir la suite du "
    "processus.",
    "Une nouvelle réunion est prévue à {place}, selon un calendrier encore provisoire.",
    "À ce stade, aucune date n'a été officiellement communiquée.",
    "Le sujet avait déjà été abordé lors d'une précédente rencontre, sans résultat tangible.",
    "Cette fois, les interlocuteurs semblent décidés à avancer pas à pas, en privilégiant les "
    "mesures techniques.",
    "Dans les milieux concernés, la nouvelle a été accueillie avec un optimisme mesuré.",
    "Certains responsables préfèrent parler d'« étape » plutôt que de tournant.",
    "Il faudra attendre les prochaines semaines pour mesurer la portée réelle de ces annonces.",
    "Le dossier est suivi de près par les partenaires étrangers, attentifs au moindre signal.",
    "Sur la question des délais, {actor} a refusé de s'engager sur une date précise.",
    "Plusieurs élus locaux demandent à être associés aux prochaines étapes.",
    "Les services concernés assurent que les moyens nécessaires seront mobilisés.",
    "Une évaluation indépendante est réclamée par plusieurs associations.",
)

REPORT_OPENERS = (
    "À {place}, la journée commence tôt, et les conversations reviennent toutes au même sujet.",
    "Il est à peine huit heures à {place} quand les premiers visiteurs se pressent devant les "
    "grilles.",
    "Sur place, les interlocuteurs acceptent de parler, mais rarement à visage découvert.",
)

REPORT = (
    "Ici, chacun a une histoire à raconter, et presque toujours un chiffre en tête.",
    "Un commerçant, installé depuis vingt ans, résume le sentiment général : on attend de voir.",
    "Les habitants que nous avons rencontrés décrivent une situation contrastée, faite "
    "d'espoirs et de lassitude.",
    "Au fil des heures, le ton se durcit ou s'adoucit selon les interlocuteurs, mais "
    "l'inquiétude reste palpable.",
    "Une enseignante à la retraite nous reçoit dans son salon, un carnet de notes à la main.",
    "Le contraste est saisissant entre les discours officiels et ce que l'on observe sur le "
    "terrain.",
    "Un jeune homme, casquette vissée sur la tête, préfère en rire : « On a l'habitude. »",
    "Plus loin, une file d'attente s'étire devant un guichet qui n'ouvrira qu'à midi.",
    "Dans un café voisin, la télévision diffuse les informations ; personne ne la regarde "
    "vraiment.",
)

COMMENT = (
    "L'histoire récente invite à la prudence : les annonces de ce type ont souvent été suivies "
    "de longues pauses.",
    "La vraie question est ailleurs : qui portera le coût des décisions à venir ?",
    "Les comparaisons internationales sont éclairantes, même si elles ont leurs limites.",
    "Ce dossier révèle aussi les limites d'une méthode fondée sur l'annonce plutôt que sur le "
    "suivi.",
    "{Stake} constitue, à cet égard, un test décisif.",
    "Les précédents ne manquent pas, et ils ne sont pas tous encourageants.",
)

ANALYSIS_OPENERS = (
    "Derrière {subject}, c'est tout un équilibre qui se joue.",
    "Il serait hasardeux de juger {subject} sur les seules annonces.",
)

ANALYSIS = (
    *COMMENT,
    "Trois facteurs expliquent la situation actuelle. Le premier tient au contexte régional, "
    "devenu plus instable depuis deux ans. Le deuxième est d'ordre budgétaire : les marges de "
    "manœuvre se sont réduites. Le troisième, plus discret, relève des calculs politiques de "
    "chaque camp.",
    "Il serait pourtant hasardeux d'y voir une rupture.",
    "Pour {actor}, le pari est double : obtenir des résultats rapides sans compromettre la suite.",
    "Les spécialistes interrogés divergent sur l'ampleur des effets attendus, mais s'accordent "
    "sur leur sens.",
    "Les données disponibles restent partielles, et leur lecture prête à discussion.",
)

ANALYSIS_CLOSERS = (
    "À moyen terme, tout dépendra de la capacité des acteurs à tenir leurs engagements.",
    "Reste une inconnue majeure : la réaction de l'opinion publique.",
)

OPINION_OPENERS = (
    "Nous avons trop longtemps considéré {subject} comme une affaire de spécialistes.",
    "Il est temps de regarder les faits en face.",
)

OPINION = (
    "Personne ne conteste l'urgence ; c'est la méthode qui pose problème.",
    "On ne construit rien de durable sans associer ceux qui vivent les conséquences des décisions.",
    "Je plaide pour une démarche plus modeste, mais plus constante.",
    "Les promesses ne suffisent plus : il faut des calendriers, des moyens et des bilans.",
    "Ce débat mérite mieux que des postures.",
    "Les citoyens ne demandent pas des miracles, ils demandent de la cohérence.",
    "Pour {stake}, chaque année perdue se paiera au prix fort.",
    "On me dira que je simplifie ; je réponds que d'autres compliquent à dessein.",
)

OPINION_CLOSERS = (
    "Au fond, la question est simple : voulons-nous subir ou anticiper ?",
    "Il ne s'agit pas de tout changer, mais de cesser de tout remettre à plus tard.",
)

CHRONICLE_OPENERS = (
    "Ce matin, au café du coin, la conversation a vite pris un tour sérieux.",
    "Il y a, dans cette affaire, quelque chose de profondément familier.",
)

CHRONICLE = (
    "Mon voisin, qui a un avis sur tout, m'a assuré que tout serait réglé avant l'été. J'ai "
    "souri, puis j'ai repensé à toutes les fois où l'on nous avait promis la même chose.",
    "On annonce, on commente, on oublie, puis on recommence.",
    "Le chauffeur de taxi qui m'a conduit à {place} avait, lui, une théorie bien arrêtée. Je ne "
    "suis pas certain qu'il ait tort.",
    "Au fond, chacun de nous est un peu expert, et c'est peut-être cela le problème.",
    "Ma grand-mère disait qu'il faut se méfier des solutions qui arrivent avant les questions. "
    "Elle n'aurait rien compris aux débats d'aujourd'hui, mais elle aurait eu son mot à dire.",
    "Je l'avoue, j'ai d'abord cru à une plaisanterie.",
    "Dans ma rue, on en parle à voix basse, comme d'un secret que tout le monde connaît.",
    "Il faut parfois savoir rire de ce qui nous fâche.",
)

CHRONICLE_CLOSERS = (
    "La semaine prochaine, promis, je parlerai d'autre chose. Ou pas.",
    "En attendant, je retourne à mon thé, qui, lui, ne déçoit jamais.",
)

EDITORIAL_OPENERS = (
    "Il faut le dire sans détour : {subject} engage bien plus que ceux qui en discutent.",
    "Ce n'est pas la première fois que le sujet revient ; ce doit être la dernière où il reste "
    "sans suite.",
)

EDITORIAL = (
    "Les annonces se succèdent, mais l'essentiel reste à faire.",
    "Ce journal l'a souvent écrit : la constance vaut mieux que l'effet d'annonce.",
    "Le pays dispose d'atouts réels ; encore faut-il les mobiliser avec méthode.",
    "On peut saluer l'intention sans renoncer à l'exigence.",
    "{Stake} ne souffre ni l'improvisation ni la demi-mesure.",
    "Les responsables savent ce qu'on attend d'eux : des résultats, et des comptes rendus "
    "honnêtes.",
    "La critique n'est pas de la défiance ; elle est la condition de la confiance.",
    "Rien ne serait plus dangereux que de croire le plus dur accompli.",
    "Nos lecteurs le savent : nous ne confondons pas scepticisme et cynisme.",
)

EDITORIAL_CLOSERS = (
    "Les prochaines semaines diront si le cap est tenu.",
    "L'histoire jugera moins les discours que les actes.",
    "Il appartient désormais à chacun de prendre ses responsabilités.",
)

PORTRAIT_OPENERS = (
    "Rien ne prédestinait {figure} à occuper une place aussi exposée.",
    "Ceux qui ont croisé {figure} décrivent une personnalité discrète, mais redoutablement tenace.",
)

PORTRAIT = (
    "Dans son bureau, peu d'objets personnels : quelques livres, une photo ancienne, un vieux "
    "poste de radio.",
    "Ses proches évoquent une capacité de travail hors du commun et un goût prononcé pour les "
    "dossiers techniques.",
    "Ses détracteurs lui reprochent une prudence qui confine parfois à l'immobilisme.",
    "Avec {figure}, les phrases sont courtes et les silences nombreux.",
    "Ses premières années de carrière se sont déroulées loin des projecteurs.",
    "Une anecdote revient souvent : un jour de grève, {figure} a tenu à rencontrer chaque "
    "délégation, une par une.",
    "La famille, l'enfance, les débuts : sur tout cela, la conversation glisse poliment.",
)

PORTRAIT_CLOSERS = (
    "Aujourd'hui, {figure} sait que chaque mot sera pesé, commenté, parfois déformé.",
    "Le temps dira si cette méthode suffit face à l'ampleur de la tâche.",
)

QUESTIONS = (
    "Où en est {subject} aujourd'hui ?",
    "Que répondez-vous à ceux qui jugent le processus trop lent ?",
    "Quelle place occupe {stake} dans vos priorités ?",
    "Quels sont les principaux obstacles ?",
    "Qu'attendez-vous des prochaines semaines ?",
    "Êtes-vous optimiste ?",
    "Comment expliquez-vous les critiques ?",
    "Quel message adressez-vous aux plus sceptiques ?",
)

ANSWERS = (
    "Il faut être honnête : rien n'est acquis, mais le mouvement est engagé.",
    "Nous avançons étape par étape, et chaque étape est vérifiée.",
    "Je comprends l'impatience, je la partage même, mais la précipitation serait une erreur.",
    "Les obstacles sont connus : le financement, les délais, et parfois la méfiance.",
    "Nous avons choisi de privilégier des résultats concrets plutôt que des annonces "
    "spectaculaires.",
    "La critique est utile quand elle s'appuie sur des faits ; je la prends au sérieux.",
    "Dans six mois, nous pourrons juger sur pièces.",
    "Mon rôle est de tenir le cap, même quand le vent tourne.",
    "Je préfère promettre peu et tenir beaucoup.",
    "Personne ne réussira seul ; c'est une affaire collective.",
    "Les chiffres sont là, et ils ne mentent pas : il reste beaucoup à faire.",
    "Nous ne partons pas de zéro ; beaucoup a déjà été construit.",
    "Il ne faut ni dramatiser ni se contenter de peu.",
    "J'entends les inquiétudes, et je crois qu'elles sont légitimes.",
    "Le calendrier est serré, mais il est tenable.",
    "Ce qui compte, c'est la confiance, et elle se gagne dans la durée.",
    "Nous devons rendre des comptes, et nous le ferons.",
    "Les moyens existent ; il faut maintenant mieux les utiliser.",
)

INTERVIEW_INTROS = (
    "{figure}, {figure_desc}, a reçu L'Observateur à {place}, {jour}, pour un long entretien.",
    "Rencontre à {place} avec {figure}, {figure_desc}, au lendemain d'une semaine chargée.",
)

INTERTITLES = (
    "Un calendrier serré",
    "Des attentes fortes",
    "Les zones d'ombre",
    "Et maintenant ?",
    "Un précédent qui pèse",
    "Le poids des chiffres",
    "Sur le terrain",
    "Des voix discordantes",
    "Une méthode contestée",
    "Ce qui change",
    "Les prochaines étapes",
    "Un équilibre fragile",
)

NEWS_CLOSERS = (
    "L'Observateur reviendra sur ce dossier dans ses prochaines éditions.",
    "Les prochaines semaines seront décisives.",
    "Rendez-vous est pris pour le prochain point d'étape.",
    "Beaucoup, sur place, attendent désormais des actes.",
)

QUOTE_VERBS = ("confie", "résume", "estime", "souligne", "glisse", "prévient")
