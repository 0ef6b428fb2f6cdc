"""Stories of the Politique desk."""

from __future__ import annotations

from gqlnews.demo.specs import Piece, Quote, Story, Visibility
from gqlnews.models import Genre

DRAFT_ELECTORAL = Piece(
    Genre.ANALYSIS,
    "Code électoral : ce que contient la version amendée",
    "Article par article, les changements introduits en commission.",
    slug="code-electoral-ce-que-contient-la-version-amendee",
    visibility=Visibility.DRAFT,
)

SCHEDULED_BUDGET = Piece(
    Genre.NEWS,
    "Loi de finances : le calendrier de la seconde lecture",
    "La Chambre des conseillers s'empare du texte à partir de lundi.",
    slug="loi-de-finances-le-calendrier-de-la-seconde-lecture",
    visibility=Visibility.SCHEDULED,
)

ELECTORAL_CODE = Story(
    key="code-electoral",
    section="politique",
    tags=("elections", "parlement", "rabat"),
    authors=("youssef-haddaoui",),
    place="Rabat",
    subject="la réforme du code électoral",
    actor="le ministre de l'Intérieur",
    stake="la participation des jeunes électeurs",
    figure="Rachida Bouzidi",
    figure_desc="présidente de la commission de l'Intérieur de la Chambre des représentants",
    facts=(
        "Le projet de réforme du code électoral a été examiné en commission à la Chambre des "
        "représentants, après plusieurs semaines de consultations avec les partis.",
        "Le texte prévoit l'inscription automatique sur les listes électorales des jeunes qui "
        "atteignent l'âge de dix-huit ans.",
        "Les partis de l'opposition contestent le nouveau découpage de plusieurs circonscriptions "
        "urbaines.",
        "Le gouvernement souhaite une adoption définitive avant la fin de la session "
        "parlementaire d'hiver.",
        "Lors du dernier scrutin, la participation des moins de trente ans était restée "
        "nettement inférieure à la moyenne nationale.",
    ),
    quotes=(
        Quote(
            "Une démocratie qui ne parle pas à sa jeunesse se condamne à l'abstention.",
            "une députée de l'opposition",
        ),
        Quote(
            "Le découpage n'a rien de politique, il suit l'évolution démographique.",
            "un haut fonctionnaire du ministère de l'Intérieur",
        ),
    ),
    scenes=(
        "L'hémicycle de la Chambre des représentants, à Rabat",
        "Des militants distribuent des tracts devant une faculté",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Code électoral : la réforme arrive en commission",
            "Les députés entament l'examen d'un texte qui doit entrer en vigueur avant les "
            "prochaines élections législatives.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Inscription automatique : le pari de la participation",
            "Le gouvernement mise sur une mesure simple pour ramener les jeunes vers les urnes. "
            "Suffira-t-elle ?",
        ),
        Piece(
            Genre.PORTRAIT,
            "Rachida Bouzidi, la présidente de commission qui bouscule l'hémicycle",
            "Méthodique et peu portée sur les effets de tribune, elle pilote l'examen d'un "
            "texte sensible.",
        ),
        Piece(
            Genre.NEWS,
            "Découpage électoral : l'opposition monte au créneau",
            "Plusieurs partis dénoncent une carte des circonscriptions taillée sur mesure.",
        ),
        Piece(
            Genre.OPINION,
            "Faire voter les jeunes, et après ?",
            "S'inscrire ne suffit pas : encore faut-il avoir envie de voter.",
            section="chroniques",
        ),
        DRAFT_ELECTORAL,
    ),
    first_day=13,
    last_day=1,
)

BUDGET = Story(
    key="loi-de-finances",
    section="economie",
    tags=("budget", "parlement", "salma-ait-lahcen", "inflation"),
    authors=("hind-sqalli", "youssef-haddaoui"),
    place="Rabat",
    subject="le projet de loi de finances 2027",
    actor="la ministre de l'Économie et des Finances",
    stake="la maîtrise du déficit budgétaire",
    figure="Salma Aït Lahcen",
    figure_desc="ministre de l'Économie et des Finances",
    facts=(
        "Le projet de loi de finances pour 2027 table sur une croissance de 3,8 % et un déficit "
        "ramené à 3,5 % du produit intérieur brut.",
        "Les dépenses d'investissement public augmentent, portées par les infrastructures "
        "hydrauliques et les programmes de santé.",
        "Les députés ont adopté la première partie du texte après deux nuits de débats, par une "
        "majorité plus courte que prévu.",
        "La hausse de certains droits d'accise, notamment sur les boissons sucrées, a suscité de "
        "vifs échanges en commission.",
        "Les syndicats réclament une révision du barème de l'impôt sur le revenu en faveur des "
        "classes moyennes.",
    ),
    quotes=(
        Quote(
            "Ce budget est celui de la responsabilité, pas celui de l'austérité.",
            "la ministre de l'Économie et des Finances",
        ),
        Quote(
            "Les classes moyennes paient toujours la note des arbitrages.",
            "un député de l'opposition",
        ),
    ),
    scenes=(
        "Salma Aït Lahcen présente le projet de budget devant les députés",
        "La commission des finances lors d'une séance de nuit",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Loi de finances 2027 : le gouvernement mise sur l'investissement public",
            "Le projet de budget prévoit une hausse sensible des dépenses d'équipement.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Budget 2027 : des hypothèses jugées optimistes",
            "Croissance, recettes fiscales, prix de l'énergie : les économistes pointent les "
            "fragilités du cadrage.",
        ),
        Piece(
            Genre.NEWS,
            "Les députés adoptent la première partie de la loi de finances",
            "Le vote est acquis après deux nuits de débats et une majorité plus courte que prévu.",
            extra_sections=("politique",),
        ),
        Piece(
            Genre.INTERVIEW,
            "Salma Aït Lahcen : « Ce budget est celui de la responsabilité »",
            "La ministre de l'Économie et des Finances répond aux critiques sur le cadrage du "
            "budget.",
            extra_sections=("politique",),
        ),
        Piece(
            Genre.BRIEF,
            "Droits d'accise : la hausse sur les boissons sucrées maintenue",
            "Le gouvernement a rejeté les amendements visant à supprimer la mesure.",
        ),
        SCHEDULED_BUDGET,
    ),
    first_day=12,
    last_day=0,
)

ABSENTEEISM = Story(
    key="absenteisme",
    section="politique",
    tags=("parlement", "elections", "rabat"),
    authors=("youssef-haddaoui",),
    place="Rabat",
    subject="l'absentéisme des parlementaires",
    actor="le président de la Chambre des représentants",
    stake="la crédibilité de l'institution parlementaire",
    figure="Rachida Bouzidi",
    figure_desc="présidente de la commission de l'Intérieur",
    facts=(
        "Moins d'un tiers des députés étaient présents lors du vote d'un texte sur la protection "
        "des consommateurs, selon le relevé publié par le bureau de la Chambre.",
        "Le règlement intérieur prévoit des retenues sur indemnité en cas d'absences répétées, "
        "mais la mesure reste rarement appliquée.",
        "Un groupe parlementaire propose de publier chaque mois la liste nominative des "
        "présences en séance et en commission.",
        "Les images de l'hémicycle clairsemé ont largement circulé sur les réseaux sociaux.",
    ),
    quotes=(
        Quote(
            "Un élu absent, c'est une circonscription muette.",
            "un ancien président de groupe parlementaire",
        ),
        Quote(
            "Le travail se fait aussi en commission, loin des caméras.", "un député de la majorité"
        ),
    ),
    scenes=(
        "Les bancs clairsemés de la Chambre des représentants",
        "Le tableau de vote électronique de l'hémicycle",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Parlement : les absences des députés à nouveau pointées",
            "Moins d'un tiers des élus ont pris part à un vote pourtant attendu.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Absentéisme : pourquoi les sanctions restent lettre morte",
            "Le règlement prévoit des retenues ; la pratique les ignore.",
        ),
        Piece(
            Genre.CHRONICLE,
            "L'hémicycle et ses fauteuils vides",
            "Notre chroniqueur a compté les présents. Ce fut rapide.",
            section="chroniques",
        ),
        Piece(
            Genre.BRIEF,
            "Présences en séance : vers une publication mensuelle",
            "Un groupe parlementaire dépose une proposition de résolution.",
        ),
    ),
    first_day=10,
    last_day=0,
)

POLITICS_STORIES: tuple[Story, ...] = (ELECTORAL_CODE, BUDGET, ABSENTEEISM)
