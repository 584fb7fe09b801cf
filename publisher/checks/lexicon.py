"""The small French lexicon that tells an editor's leftover from the text (publisher/checks/leftovers.py).
Data only: add a word here when the check misses one kind of leftover, or remove one it takes
wrongly. Words are lower case, apostrophes straight.
"""

# A question of one or two words is asked of the editors: « Quand ? », « Lequel ? », « Qui exactement ? »
INTERROGATIVES = frozenset({
    "quand", "où", "qui", "quoi", "lequel", "laquelle", "lesquels", "lesquelles", "combien", "pourquoi",
    "comment", "quel", "quelle", "quels", "quelles", "depuis", "jusqu'à", "exactement", "vraiment", "sûr", "ok",
})

# A short question with one of these words is about the text, not part of it:
# « Supprimer ? », « La date est-elle exacte ? », « On garde ce paragraphe ? »
ABOUT_THE_TEXT = frozenset({
    "supprimer", "supprime", "garder", "garde", "conserver", "retirer", "enlever", "vérifier", "vérifié",
    "confirmer", "confirmé", "correct", "correcte", "exact", "exacte", "juste", "ok", "date", "année",
    "source", "sources", "chiffre", "chiffres", "nom", "noms", "orthographe", "lien", "liens", "photo", "photos",
    "toujours", "actuel", "actuelle", "d'actualité", "sûr", "sûre", "certain", "certaine", "paragraphe",
    "phrase", "passage", "formulation", "reformuler", "lequel", "laquelle", "lesquels",
})
QUESTION_OPENINGS = ("est-ce que", "est ce que", "c'est bien", "on garde", "faut-il", "doit-on", "à garder",
                     "à supprimer", "on supprime", "on met", "peut-on")
SHORT_QUESTION_WORDS = 12      # a question to the editors is short; the narrative's may be as well, but has none
                               # of the words above

# An instruction at the start of a line or in brackets: the infinitive of what is still to do.
INSTRUCTIONS = frozenset({
    "ajouter", "vérifier", "demander", "compléter", "préciser", "confirmer", "corriger", "relire",
    "reformuler", "supprimer", "insérer", "remplacer", "chercher", "rechercher", "retrouver", "contacter",
    "revoir", "sourcer", "illustrer", "raccourcir", "traduire", "valider", "check", "voir avec",
    "mettre à jour", "à vérifier", "à préciser", "à compléter", "à confirmer", "à revoir", "à reformuler",
    "à corriger", "à sourcer", "à valider", "à supprimer", "à garder", "à relire", "a vérifier", "a préciser",
    "a compléter", "a confirmer", "todo", "to do", "nb", "n.b.", "fixme",
})
NARRATIVE_OPENINGS = ("ajouter à cela", "ajouter à ceci", "à vérifier si", "préciser que")   # the text's own turns
# A sentence that opens with an infinitive and has one of these verbs is the narrative's:
# « Vérifier les droits de chacun est la mission du CAI », « … fait partie du travail ».
NARRATIVE_VERBS = frozenset({"est", "sont", "reste", "restent", "était", "étaient", "demeure", "permet",
                             "permettent", "fait", "font", "devient", "constitue", "représente", "suffit",
                             "signifie", "revient", "demande", "exige", "c'est"})
NOTE_WORDS = 20                # a note to self at a sentence start is short; longer, it is the narrative

# What an « Ajouter … » names when it stands for something missing: « Ajouter une carte », « Ajouter liens »
MISSING_THINGS = frozenset({
    "lien", "liens", "carte", "cartes", "photo", "photos", "image", "images", "illustration", "illustrations",
    "chiffre", "chiffres", "source", "sources", "référence", "références", "date", "dates", "nom", "noms",
    "légende", "tableau", "graphique", "schéma", "logo", "citation", "exemple", "exemples", "texte",
    "paragraphe", "bibliographie", "coordonnées", "adresse", "témoignage", "titre", "encadré", "note", "notes",
})
DETERMINERS = frozenset({"le", "la", "les", "l'", "un", "une", "des", "du", "de", "d'", "quelques", "plus",
                         "deux", "trois", "ici", "encore"})

# « Photo à choisir », « Paragraphe à rédiger », « Chiffres à venir »: on a line of its own, a few words naming
# what is still to do; « Un avenir à construire » is the narrative's.
STILL_TO_DO = frozenset({
    "choisir", "rédiger", "venir", "compléter", "fournir", "trouver", "retrouver", "ajouter", "écrire", "définir",
    "préciser", "confirmer", "insérer", "sélectionner", "déterminer", "revoir", "vérifier", "sourcer", "traduire",
    "valider", "demander", "chercher", "scanner", "numériser", "mettre à jour", "reformuler", "relire", "corriger",
})
STILL_TO_DO_WORDS = 5

# A short question at the end of a paragraph that checks a fact of it (« Était-ce en mars ? », « C'est bien
# lui ? »): a question of being, a date, a number or a name in it, no negation, no interrogative word first.
# « N'est-ce pas là l'essentiel ? », « Que faire ? » are the narrative's.
FACT_CHECK_WORDS = 6
FACT_MARKERS = frozenset({"était-ce", "est-ce", "c'est", "c'était", "s'agit-il", "s'agissait-il", "s'agit-elle",
                          "bien", "vraiment", "exactement", "sûr", "sûre", "certain", "bon", "bonne"})
MONTHS = frozenset({"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                    "novembre", "décembre"})
NEGATIONS = frozenset({"ne", "n'est-ce", "n'était-ce", "pas", "jamais", "guère", "point"})
INTERROGATIVE_OPENINGS = INTERROGATIVES | {"que", "qu'est-ce", "quoi", "à", "de", "en", "et", "mais", "alors", "si"}

# Text standing for text still to write, wherever it is.
PLACEHOLDER_PATTERNS = (
    r"(?<!\w)(?-i:XXX+|TODO|TBD|FIXME)(?!\w)",
    r"\?{3,}",
    r"(?<!\w)(?-i:XX+)(?=[\s\u00a0\u202f]*(?:%|€|\$|euros?\b|personnes\b|familles\b|ans\b))",   # « XX % »
    r"\[\s*(?:…|\.\.\.)?\s*\]",
    r"\blorem ipsum\b",
    r"^\W*(?:[àa] compléter|légende|texte à venir|à venir)\W*$",
)
# A run of question marks left after a name or a figure (« M. Dupont ?? », « en 1998 (?!) »)
QUERY_MARKS = r"(?<![?!])(?:\?\?|\?!\?|\(\?+!?\))(?![?!])"
# « en 2011 ou 2012 ? »: a question between two facts is the editors'
ALTERNATIVE = r"\b\d[\d\s]*\s+ou\s+\d[\d\s]*\s*\?"
# « à vérifier » in the middle of a sentence is a note to self too, with what it names (« En 2023, a vérifier
# la date c'est… »); « à vérifier si / que » is the narrative's.
TO_CHECK = (r"(?i)\b[aà] v[ée]rifier\b(?![\s\u00a0]+(?:si|que|qu['’]))"
            r"(?:[ \u00a0](?:le|la|les|l['’]|cette|ce|ces|cet|son|sa|ses|leur|leurs)[ ]?[^\s.,;:!?]+)?")
