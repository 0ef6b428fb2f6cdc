"""Stories of the Société desk."""

from __future__ import annotations

from gqlnews.demo.arabic import AR_DROUGHT
from gqlnews.demo.specs import Piece, Quote, Story, Visibility
from gqlnews.models import Genre

DRAFT_IRRIGATION = Piece(
    Genre.NEWS,
    "Eau d'irrigation : un plan de rationnement en préparation",
    "Les agences de bassin travaillent à un calendrier de distribution par tours d'eau.",
    slug="eau-d-irrigation-un-plan-de-rationnement-en-preparation",
    visibility=Visibility.DRAFT,
)

DROUGHT = Story(
    key="secheresse",
    section="societe",
    tags=("secheresse", "agriculture", "eau", "maroc"),
    authors=("rachid-naciri", "nour-eddine-tahiri"),
    place="Béni Mellal",
    subject="la sécheresse qui frappe les plaines céréalières",
    actor="le ministre de l'Agriculture",
    stake="le revenu des petits agriculteurs",
    figure="Brahim Aït Ouali",
    figure_desc="agriculteur et président d'une coopérative du Tadla",
    facts=(
        "Pour la troisième année consécutive, le cumul des pluies reste inférieur de près de "
        "moitié à la normale dans les plaines céréalières.",
        "Le taux de remplissage des barrages du bassin de l'Oum Er-Rbia est tombé sous les 20 %, "
        "selon les derniers relevés.",
        "Le gouvernement a annoncé une aide directe aux éleveurs pour l'achat d'orge subventionnée "
        "et de fourrage.",
        "Les coopératives agricoles réclament un moratoire sur les dettes des petits exploitants.",
        "Les prix de la viande rouge ont progressé de plus de 15 % en un an sur les marchés de "
        "gros.",
    ),
    quotes=(
        Quote(
            "Nous avons semé deux fois cette année ; deux fois, la pluie n'est pas venue.",
            "un céréalier de la région de Béni Mellal",
        ),
        Quote(
            "L'agriculture pluviale ne peut plus être notre seul horizon.",
            "une agronome de l'Institut agronomique de Rabat",
        ),
    ),
    scenes=(
        "Un champ de blé desséché dans la plaine du Tadla",
        "Le barrage de Bin El Ouidane à un niveau historiquement bas",
        "Un éleveur et son troupeau près de Béni Mellal",
    ),
    pieces=(
        Piece(
            Genre.REPORT,
            "Dans le Tadla, les paysans face à une troisième année sans pluie",
            "Semis perdus, bétail vendu, dettes qui s'accumulent : le récit d'une campagne "
            "agricole à l'arrêt.",
        ),
        Piece(
            Genre.NEWS,
            "Sécheresse : une aide d'urgence pour les éleveurs",
            "Orge subventionnée et fourrage : le gouvernement débloque une enveloppe "
            "exceptionnelle.",
            section="economie",
        ),
        Piece(
            Genre.ANALYSIS,
            "L'agriculture marocaine à l'heure des choix",
            "Faut-il continuer à produire des céréales en zone pluviale ? Le débat, longtemps "
            "tabou, s'ouvre enfin.",
            section="economie",
        ),
        AR_DROUGHT,
        Piece(
            Genre.PORTRAIT,
            "Brahim Aït Ouali, la coopérative comme rempart",
            "Dans le Tadla, cet agriculteur a convaincu ses voisins de mutualiser l'eau et les "
            "machines.",
        ),
        Piece(
            Genre.BRIEF,
            "Barrages : le remplissage sous les 20 % dans l'Oum Er-Rbia",
            "Les réserves atteignent un niveau jamais observé à cette période de l'année.",
        ),
        DRAFT_IRRIGATION,
    ),
    first_day=13,
    last_day=3,
)

SCHOOL = Story(
    key="ecole",
    section="societe",
    tags=("education", "rabat", "maroc"),
    authors=("rachid-naciri",),
    place="Salé",
    subject="la réforme de l'école publique",
    actor="le ministre de l'Éducation nationale",
    stake="la revalorisation du métier d'enseignant",
    figure="Fatima-Zahra Lamrani",
    figure_desc="directrice d'une école primaire de Salé",
    facts=(
        "Le ministère de l'Éducation nationale a étendu à six cents nouveaux établissements le "
        "programme des « écoles pionnières ».",
        "Le dispositif repose sur des groupes de niveau en lecture et en mathématiques, évalués "
        "trois fois par an.",
        "Les syndicats d'enseignants ont appelé à une journée de grève pour réclamer "
        "l'application de l'accord salarial signé au printemps.",
        "Selon les évaluations nationales, un élève de quatrième année du primaire sur trois ne "
        "maîtrise pas encore la lecture courante.",
    ),
    quotes=(
        Quote(
            "Quand on donne aux enseignants du temps et des outils, les résultats suivent.",
            "une inspectrice pédagogique",
        ),
        Quote(
            "Nos salles de classe comptent encore plus de quarante élèves.", "un enseignant de Salé"
        ),
    ),
    scenes=(
        "Une classe de CE2 pendant un atelier de lecture",
        "La cour d'une école primaire de Salé à la récréation",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Écoles pionnières : six cents établissements de plus",
            "Le programme de soutien en lecture et en mathématiques change d'échelle.",
        ),
        Piece(
            Genre.REPORT,
            "Dans une école de Salé, la méthode des groupes de niveau",
            "Nous avons passé une journée dans une classe qui expérimente le dispositif "
            "depuis un an.",
        ),
        Piece(
            Genre.NEWS,
            "Les enseignants appelés à la grève",
            "Les syndicats réclament l'application de l'accord salarial du printemps.",
        ),
        Piece(
            Genre.PORTRAIT,
            "Fatima-Zahra Lamrani, directrice d'école et militante de la lecture",
            "Elle a transformé la bibliothèque de son école en cœur battant du quartier.",
        ),
        Piece(
            Genre.OPINION,
            "L'école publique mérite mieux que des slogans",
            "Une réforme se juge dans la classe, pas dans les communiqués.",
            section="chroniques",
        ),
    ),
    first_day=12,
    last_day=0,
)

HEALTH = Story(
    key="sante",
    section="societe",
    tags=("sante", "casablanca"),
    authors=("rachid-naciri",),
    place="Casablanca",
    subject="la généralisation de la couverture médicale",
    actor="le ministre de la Santé",
    stake="l'accès aux soins dans les zones rurales",
    figure="Samir Hakimi",
    figure_desc="chef des urgences d'un hôpital casablancais",
    facts=(
        "Près de vingt-trois millions de personnes sont désormais couvertes par l'assurance "
        "maladie obligatoire, selon les chiffres officiels.",
        "Les délais d'attente pour une consultation spécialisée dépassent encore trois mois dans "
        "plusieurs hôpitaux publics.",
        "Un nouveau centre hospitalier universitaire doit ouvrir ses portes à Casablanca au "
        "premier semestre.",
        "Le ministère prévoit de recruter plusieurs milliers d'infirmiers et de médecins au cours "
        "des trois prochaines années.",
    ),
    quotes=(
        Quote(
            "La carte d'assurance ne soigne personne si l'hôpital manque de médecins.",
            "un chef de service casablancais",
        ),
        Quote(
            "Les patients viennent parfois de deux cents kilomètres pour une simple échographie.",
            "une infirmière d'un centre de santé rural",
        ),
    ),
    scenes=(
        "Le hall des urgences d'un hôpital de Casablanca",
        "Un centre de santé rural dans la province de Settat",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Couverture médicale : vingt-trois millions d'assurés",
            "La généralisation progresse, mais l'offre de soins peine à suivre.",
        ),
        Piece(
            Genre.INVESTIGATION,
            "Enquête : où sont passés les médecins des urgences de Casablanca ?",
            "Postes vacants, gardes non pourvues, départs vers le privé : nous avons "
            "recoupé les plannings de trois hôpitaux.",
        ),
        Piece(
            Genre.INTERVIEW,
            "Samir Hakimi : « Nous manquons d'abord de bras »",
            "Le chef des urgences d'un grand hôpital casablancais plaide pour un plan de "
            "recrutement massif.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Hôpital public : le défi des recrutements",
            "Former, attirer, retenir : la généralisation de la couverture médicale se jouera "
            "sur les ressources humaines.",
        ),
        Piece(
            Genre.BRIEF,
            "Un nouveau CHU à Casablanca au premier semestre",
            "L'établissement comptera plus de huit cents lits.",
        ),
    ),
    first_day=11,
    last_day=0,
)

ROAD_SAFETY = Story(
    key="securite-routiere",
    section="societe",
    tags=("transports", "securite", "casablanca"),
    authors=("rachid-naciri",),
    place="Casablanca",
    subject="la lutte contre l'insécurité routière",
    actor="le directeur de l'agence de sécurité routière",
    stake="la protection des piétons et des deux-roues",
    figure="Latifa Chergui",
    figure_desc="présidente d'une association de victimes de la route",
    facts=(
        "Le nombre de tués sur les routes a légèrement reculé sur les dix premiers mois de "
        "l'année, mais les accidents impliquant des deux-roues progressent.",
        "Plus de deux cents radars de nouvelle génération doivent être installés d'ici la fin "
        "de l'année prochaine.",
        "Le port du casque reste peu respecté dans plusieurs grandes villes, selon les contrôles "
        "de la police.",
        "Les associations réclament des passages piétons protégés aux abords de toutes les écoles.",
    ),
    quotes=(
        Quote(
            "Chaque chiffre est une famille endeuillée.",
            "une militante d'une association de victimes",
        ),
        Quote(
            "La sanction seule ne suffira pas ; il faut repenser la ville.",
            "un urbaniste casablancais",
        ),
    ),
    scenes=(
        "Un carrefour encombré du centre de Casablanca",
        "Un contrôle routier à l'entrée de la ville",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Routes : la mortalité recule, sauf chez les motocyclistes",
            "Le bilan des dix premiers mois de l'année montre des tendances contrastées.",
        ),
        Piece(
            Genre.REPORT,
            "À Casablanca, traverser la rue reste une aventure",
            "Nous avons observé pendant une matinée un carrefour parmi les plus accidentogènes "
            "de la ville.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Radars, casques, trottoirs : ce qui marche contre les accidents",
            "Les comparaisons internationales montrent que l'aménagement compte autant que la "
            "sanction.",
        ),
        Piece(
            Genre.BRIEF,
            "Deux cents nouveaux radars d'ici la fin de l'année prochaine",
            "Les appareils pourront mesurer la vitesse moyenne sur plusieurs kilomètres.",
        ),
    ),
    first_day=9,
    last_day=0,
)

SOCIETY_STORIES: tuple[Story, ...] = (DROUGHT, SCHOOL, HEALTH, ROAD_SAFETY)
