"""Stories of the Sport desk."""

from __future__ import annotations

from gqlnews.demo.arabic import AR_DERBY
from gqlnews.demo.specs import Piece, Quote, Story, Visibility
from gqlnews.models import Genre

SCHEDULED_MATCH = Piece(
    Genre.ANALYSIS,
    "Équipe nationale : les clés du match retour",
    "Pressing, coups de pied arrêtés, gestion des temps faibles : ce qui fera la différence.",
    slug="equipe-nationale-les-cles-du-match-retour",
    visibility=Visibility.SCHEDULED,
)

DERBY = Story(
    key="derby",
    section="sport",
    tags=("football", "casablanca"),
    authors=("hamza-berrada",),
    place="Casablanca",
    subject="le derby casablancais",
    actor="l'entraîneur du Chabab de Casablanca",
    stake="la course au titre",
    figure="Anas Ouhmad",
    figure_desc="capitaine de l'Union d'Anfa",
    facts=(
        "Le derby entre le Chabab de Casablanca et l'Union d'Anfa se jouera à guichets fermés, "
        "devant plus de quarante-cinq mille spectateurs.",
        "Les deux clubs ne sont séparés que par deux points en tête du championnat après douze "
        "journées.",
        "Les autorités ont renforcé le dispositif de sécurité autour du stade et dans les "
        "transports en commun.",
        "Le dernier derby s'était achevé sur un match nul sans but, au terme d'une rencontre "
        "très fermée.",
        "Les groupes de supporters préparent depuis plusieurs semaines des animations géantes "
        "dans les tribunes.",
    ),
    quotes=(
        Quote("Un derby, on ne le joue pas, on le vit.", "un supporter de l'Union d'Anfa"),
        Quote(
            "Nous resterons concentrés sur le jeu, pas sur le bruit autour.",
            "l'entraîneur du Chabab",
        ),
    ),
    scenes=(
        "Les tribunes du stade de Casablanca avant le coup d'envoi",
        "Anas Ouhmad à l'entraînement",
        "Le tifo géant déployé par les supporters de l'Union d'Anfa",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Derby casablancais : un choc au sommet à guichets fermés",
            "Deux points séparent le Chabab et l'Union d'Anfa avant le match le plus attendu "
            "de la saison.",
        ),
        AR_DERBY,
        Piece(
            Genre.REPORT,
            "Dans les tribunes, la fièvre du derby",
            "Chants, tifos et superstitions : nous avons vécu le match au milieu des supporters.",
        ),
        Piece(
            Genre.NEWS,
            "L'Union d'Anfa remporte le derby et prend la tête",
            "Un but en fin de match offre la victoire aux hommes d'Anas Ouhmad.",
        ),
        Piece(
            Genre.PORTRAIT,
            "Anas Ouhmad, capitaine et enfant du quartier",
            "Formé au club, le milieu de terrain incarne l'Union d'Anfa depuis dix saisons.",
        ),
        Piece(
            Genre.CHRONICLE,
            "Le derby, ou l'art de perdre sa voix",
            "Notre chroniqueur n'aime pas le football. Il est pourtant allé au stade.",
            section="chroniques",
        ),
    ),
    first_day=8,
    last_day=1,
)

NATIONAL_TEAM = Story(
    key="equipe-nationale",
    section="sport",
    tags=("football", "youssef-el-ghazi", "caf", "rabat"),
    authors=("hamza-berrada",),
    place="Rabat",
    subject="la préparation de l'équipe nationale",
    actor="le sélectionneur national",
    stake="la qualification pour la Coupe d'Afrique des nations",
    figure="Youssef El Ghazi",
    figure_desc="sélectionneur national",
    facts=(
        "Le sélectionneur a dévoilé une liste de vingt-six joueurs, avec quatre nouveaux venus "
        "évoluant dans le championnat national.",
        "L'équipe nationale affrontera deux adversaires directs dans son groupe de "
        "qualification, à Rabat puis à l'extérieur.",
        "Le retour du meneur de jeu, blessé depuis trois mois, constitue la principale "
        "satisfaction du staff.",
        "La Confédération africaine de football a confirmé le calendrier des prochaines fenêtres "
        "internationales.",
    ),
    quotes=(
        Quote(
            "Personne n'a sa place garantie, pas même les cadres.",
            "le sélectionneur Youssef El Ghazi",
        ),
        Quote("Le public attend du jeu, pas seulement des victoires.", "un ancien international"),
    ),
    scenes=(
        "Youssef El Ghazi lors de l'annonce de sa liste, à Rabat",
        "Les joueurs de l'équipe nationale à l'entraînement",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Équipe nationale : quatre nouveaux dans la liste d'El Ghazi",
            "Le sélectionneur fait appel à des joueurs du championnat national.",
        ),
        Piece(
            Genre.INTERVIEW,
            "Youssef El Ghazi : « Personne n'a sa place garantie »",
            "Avant deux matchs décisifs, le sélectionneur national s'explique sur ses choix.",
        ),
        Piece(
            Genre.ANALYSIS,
            "Le système El Ghazi en question",
            "Possession, pressing haut, défense à trois : la méthode du sélectionneur divise "
            "les spécialistes.",
        ),
        Piece(
            Genre.NEWS,
            "Qualifications : victoire nette à Rabat",
            "L'équipe nationale prend une option sérieuse sur la première place du groupe.",
        ),
        SCHEDULED_MATCH,
    ),
    first_day=13,
    last_day=0,
)

MARATHON = Story(
    key="marathon",
    section="sport",
    tags=("athletisme", "rabat"),
    authors=("hamza-berrada",),
    place="Rabat",
    subject="le marathon international de Rabat",
    actor="le directeur de course",
    stake="la relève du demi-fond national",
    figure="Hajar Moussaoui",
    figure_desc="coureuse de fond",
    facts=(
        "Plus de quinze mille coureurs sont attendus au départ du marathon et des courses "
        "associées.",
        "Le parcours, entièrement remanié, longe désormais le Bouregreg et la corniche.",
        "Les organisateurs ont doublé le nombre de points de ravitaillement et de secouristes.",
        "La fédération voit dans l'épreuve une vitrine pour les jeunes talents du demi-fond.",
    ),
    quotes=(
        Quote(
            "Courir dans sa ville, devant les siens, c'est une émotion à part.",
            "la coureuse Hajar Moussaoui",
        ),
        Quote(
            "Le demi-fond marocain a une histoire ; il lui faut maintenant une relève.",
            "un entraîneur de la fédération",
        ),
    ),
    scenes=(
        "Le départ du marathon sur l'avenue Mohammed V",
        "Hajar Moussaoui à l'entraînement sur la corniche",
    ),
    pieces=(
        Piece(
            Genre.NEWS,
            "Marathon de Rabat : un parcours remanié",
            "Le tracé longe désormais le Bouregreg et la corniche.",
        ),
        Piece(
            Genre.PORTRAIT,
            "Hajar Moussaoui, la patience du fond",
            "À vingt-quatre ans, la coureuse de Khénifra vise un podium devant son public.",
        ),
        Piece(
            Genre.BRIEF,
            "Marathon : quinze mille coureurs au départ",
            "Les inscriptions ont été closes avec une semaine d'avance.",
        ),
        Piece(
            Genre.NEWS,
            "Marathon de Rabat : Hajar Moussaoui sur le podium",
            "La coureuse de Khénifra termine troisième d'une course disputée sous la chaleur.",
        ),
    ),
    first_day=7,
    last_day=3,
)

SPORT_STORIES: tuple[Story, ...] = (DERBY, NATIONAL_TEAM, MARATHON)
