## Back office (organisers): pages under /admin.
# Même glossaire que main.ftl. Les arguments arrivent déjà formatés, sauf
# $count, $taken, $line, $page, $pages et $position, qui sont des nombres.

admin-site-title = Rencontre — espace organisation
admin-logout = Se déconnecter
admin-error-title = Cette action n'a pas pu être faite
admin-error-forbidden = Vous n'êtes pas autorisé·e à faire ceci. Un compte de consultation peut lire et exporter, mais les modifications demandent un compte d'organisateur·rice ; si c'est le vôtre, le formulaire a peut-être expiré : rechargez la page et réessayez.
admin-error-not-found = Il n'y a rien à cette adresse. Revenez à la liste et choisissez de nouveau.
admin-error-invalid = Un élément de cette demande n'est pas valide. Revenez à la page et réessayez.
admin-error-cancelled = Cette inscription est annulée : elle ne peut plus être modifiée.
admin-form-expired = Ce formulaire a expiré. Veuillez l'envoyer de nouveau.
admin-problems-title = Veuillez corriger les points suivants
admin-refused-title = Cette action n'a pas été faite
admin-save = Enregistrer
admin-none-yet = Rien pour l'instant.
admin-actions = Actions
admin-page-of = Page { $page } sur { $pages }

## Notices after an action

admin-done-saved = Vos modifications ont été enregistrées.
admin-done-deleted = La séance a été supprimée.
admin-done-imported = Les quotas par pays ont été importés.
admin-done-cancelled = L'inscription a été annulée et le ou la délégué·e a été prévenu·e par courriel.
admin-done-promoted = Le ou la délégué·e a reçu une place et a été prévenu·e par courriel.
admin-approvals-hint = Cochez ci-dessous les inscriptions à accepter, puis acceptez-les ensemble : chacune prend la place suivante, dans l'ordre de la liste.
admin-approvals-submit = Accepter la sélection
admin-approvals-tick = Accepter { $reference }
admin-column-category = Catégorie
admin-decision = Décision
admin-approve = Accepter cette inscription
admin-reject = Refuser cette inscription
admin-reject-reason = Motif
admin-reject-note = Note à la personne
admin-reject-note-hint = Facultative. Écrite dans l'e-mail sous le motif, telle quelle.
admin-done-approved = L'inscription a été acceptée et la personne prévenue par e-mail.
admin-done-approved-many = Acceptées : { $accepted }, chacune prévenue par e-mail. Non acceptées : { $refused } (déjà décidées, annulées ou d’un autre événement).
admin-done-rejected = L'inscription a été refusée et la personne prévenue par e-mail, avec le motif.
admin-action-approve = Acceptée
admin-action-reject = Refusée
admin-category-approval = Les inscriptions demandent l'acceptation des organisateurs
admin-event-pending-holds = Une inscription en attente d'acceptation garde la place qu'elle a reçue
admin-event-pending-holds-hint = Décoché, les inscriptions en attente ne prennent aucune place : en accepter une lui donne la prochaine place, ou la liste d'attente.
admin-done-sessions = Les séances ont été modifiées et le ou la délégué·e a été prévenu·e par courriel.
admin-done-resent = Le dernier courriel sera envoyé de nouveau.
admin-done-retried = Le courriel sera envoyé de nouveau sous peu.
admin-done-reset = Le texte prévu par défaut sera de nouveau utilisé.

## Login

admin-login-title = Connexion des organisateur·rice·s
admin-password = Mot de passe
admin-login-submit = Se connecter
admin-login-failed = L'adresse électronique ou le mot de passe n'est pas correct.
admin-login-too-many = Trop de tentatives échouées. Veuillez patienter jusqu'à 15 minutes avant de réessayer.

## Events

admin-events-title = Rencontres
admin-events-none = Il n'y a encore aucune rencontre.
admin-column-event = Rencontre
admin-column-dates = Dates
admin-column-window = Inscriptions
admin-window-open = ouvertes
admin-window-upcoming = pas encore ouvertes
admin-window-closed = closes
admin-event-new-title = Nouvelle rencontre
admin-event-edit-title = Paramètres de la rencontre
admin-event-slug = Adresse web
admin-event-slug-hint = Lettres minuscules, chiffres et tirets, par exemple dakar-2005. Elle ne pourra plus être modifiée.
admin-event-slug-taken = Une autre rencontre a déjà cette adresse web.
admin-event-name = Nom
admin-event-description = Description
admin-event-starts-on = Premier jour
admin-event-ends-on = Dernier jour
error-event-ends-invalid = Indiquez le dernier jour, le même que le premier ou après.
error-date-invalid = Indiquez une date, par exemple 2027-11-22.
admin-event-timezone = Fuseau horaire
admin-event-timezone-hint = Le fuseau horaire de la rencontre, par exemple Africa/Dakar ou America/Lima. Toutes les heures ci-dessous sont dans ce fuseau.
error-timezone-invalid = Indiquez un nom de fuseau horaire comme Africa/Dakar.
admin-event-languages = Langues de la rencontre
error-languages-invalid = Choisissez au moins une langue.
admin-event-languages-hint = La première langue cochée est la première langue de la rencontre : ses textes remplacent tout texte absent dans une autre langue.
admin-event-opens = Ouverture des inscriptions
admin-event-closes = Clôture des inscriptions
error-event-closes-invalid = Indiquez quand les inscriptions sont closes, après leur ouverture.
admin-times-hint = Dans le fuseau horaire de la rencontre.
error-time-invalid = Indiquez une date et une heure.
admin-event-capacity = Capacité de la rencontre
admin-capacity-hint = Laissez vide pour ne fixer aucune limite.
error-capacity-invalid = Indiquez un nombre entier supérieur ou égal à 0, ou laissez le champ vide pour ne fixer aucune limite.
admin-event-default-quota = Quota par pays par défaut
admin-event-default-quota-hint = Les places de chaque pays qui n'a pas de quota propre. Laissez vide pour ne fixer aucune limite par pays.
error-capacity-below-taken =
    { $taken ->
        [one] La capacité ne peut pas être inférieure à la place déjà prise.
       *[other] La capacité ne peut pas être inférieure aux { $taken } places déjà prises.
    }
admin-translations = Autres langues
admin-translations-hint = Les textes ci-dessus sont dans la première langue de la rencontre. Une langue dont le champ reste vide les affiche à la place.
error-text-too-long = Utilisez au plus { $max } caractères.
error-language-not-offered = Cette langue n'est pas une langue de la rencontre. Ajoutez-la à la rencontre, ou laissez ce champ vide.

## An event's pages

admin-tab-dashboard = Vue d'ensemble
admin-tab-registrations = Inscriptions
admin-tab-sessions = Séances
admin-tab-countries = Quotas par pays
admin-tab-emails = Courriels
admin-tab-email-texts = Textes des courriels
admin-tab-settings = Paramètres
admin-whole-event = Toute la rencontre
admin-confirmed = Places prises
admin-waiting = Liste d'attente
admin-filled = Places prises
admin-per-day = Inscriptions par jour
admin-column-day = Jour

## Sessions

admin-session-new = Nouvelle séance
admin-session-edit-title = Séance { $code }
admin-session-code = Code
admin-session-code-hint = Lettres, chiffres, tirets et tirets bas, par exemple A3. Il ne pourra plus être modifié.
admin-session-code-taken = Cette rencontre a déjà une séance avec ce code.
admin-session-title = Titre
admin-session-description = Description
admin-session-kind = Type
error-session-kind-invalid = Choisissez atelier ou plénière.
admin-session-room = Salle
admin-session-starts = Début
admin-session-ends = Fin
error-session-ends-invalid = Indiquez quand la séance se termine, après son début.
admin-session-capacity = Places
admin-session-delete = Supprimer cette séance
admin-session-delete-hint = Seule une séance qu'aucun·e délégué·e n'a choisie peut être supprimée.
admin-tab-categories = Catégories
admin-categories-intro = Délégué·es, observateur·rices, intervenant·es, presse, équipe… Chaque catégorie peut avoir ses propres places ; une catégorie hors quotas ne prend aucune place de la rencontre ni des pays.
admin-categories-none = Aucune catégorie : tout le monde s'inscrit de la même façon.
admin-category-code = Code
admin-category-code-hint = Une lettre minuscule, puis des lettres, chiffres ou tirets bas, par exemple observer. Il nomme la catégorie dans l'API et les exports, et ne peut plus changer.
admin-category-code-taken = Cette rencontre a déjà une catégorie avec ce code.
admin-category-name = Nom
admin-category-name-in = Nom en { $name }
admin-category-capacity = Places propres
admin-category-position = Position dans le formulaire
admin-category-counts = Ses places comptent dans les quotas
admin-category-counts-hint = Coché, une place prend aussi une place de la capacité de la rencontre et du quota du pays. Figé dès qu'une personne s'y inscrit.
admin-category-public-label = Proposée dans le formulaire
admin-category-public-hint = Décoché, seuls les organisateurs l'attribuent (sur invitation).
admin-category-quotas = Quotas
admin-category-in-quotas = Dans les quotas
admin-category-outside-quotas = Hors quotas
admin-category-offered = Proposée
admin-category-public = Dans le formulaire
admin-category-invitation = Sur invitation
admin-category-waiting = En attente
admin-category-new = Nouvelle catégorie
admin-category-edit-title = Catégorie { $code }
admin-category-delete = Supprimer cette catégorie
admin-category-delete-hint = Seule une catégorie où personne ne s'est jamais inscrit peut être supprimée.
admin-category-decide-first = Cette inscription attend une décision : acceptez-la ou refusez-la d'abord.
admin-category-no-room = La nouvelle catégorie n'a pas de place libre pour cette personne : rien n'a changé.
admin-category-change = Mettre dans cette catégorie
admin-done-category = L'inscription est dans sa nouvelle catégorie.
admin-action-category = Catégorie changée
admin-session-has-choices =
    { $count ->
        [one] Cette séance ne peut pas être supprimée : { $count } délégué·e l'a choisie. Modifiez d'abord ses séances.
       *[other] Cette séance ne peut pas être supprimée : { $count } délégué·e·s l'ont choisie. Modifiez d'abord leurs séances.
    }

## Country quotas

admin-quota-intro = Chaque pays a un quota de places. Quand un quota augmente, les délégué·e·s de ce pays sur la liste d'attente reçoivent aussitôt les nouvelles places.
admin-quota-own = quota propre
admin-quota-default = quota par défaut
admin-quota-set = Fixer le quota d'un pays
admin-quota-capacity = Quota
admin-import-title = Importer des quotas par pays
admin-import-intro = Une ligne par pays : son code et son quota, séparés par une virgule, par exemple SN,25. Une première ligne « country,capacity » est acceptée. Si une ligne est fausse, rien n'est modifié.
admin-import-file = Fichier CSV
admin-import-lines = Ou saisissez les lignes ici
admin-import-submit = Importer
admin-import-refused = Rien n'a été importé
admin-import-line = Ligne { $line } : { $problem }
admin-import-country = { $code } n'est pas un code de pays.
admin-import-twice = Ce pays figure déjà à la ligne { $first }.
admin-import-columns = Écrivez un code de pays et une capacité, séparés par une virgule.
admin-import-empty = Il n'y a aucune ligne à importer.
admin-import-both = Choisissez un fichier ou saisissez des lignes, pas les deux.

## Registrations

admin-search = Rechercher
admin-search-hint = Une partie d'un nom, d'une adresse électronique, d'une référence ou d'une organisation.
admin-search-submit = Rechercher
admin-any-status = Tous les statuts
admin-any-country = Tous les pays
admin-any-session = Toutes les séances
admin-found =
    { $count ->
        [one] { $count } inscription
       *[other] { $count } inscriptions
    }
admin-found-more = Plus de { $count } inscriptions
admin-page-shown =
    { $count ->
        [one] { $count } sur cette page
       *[other] { $count } sur cette page
    }
admin-export-csv = Exporter la liste des participant·e·s (CSV)
admin-export-xlsx = Exporter la liste des participant·e·s (Excel)
admin-export-sensitive = Excel, avec les réponses sensibles
admin-column-reference = Référence
admin-column-name = Nom
admin-column-email = Courriel
admin-column-country = Pays
admin-column-organisation = Organisation
admin-column-status = Statut
admin-column-registered = Inscription le
admin-status-position =
    { $status } ({ $position ->
        [one] 1ʳᵉ
       *[other] { $position }ᵉ
    })
admin-registration-title = Inscription { $reference } : { $name }
admin-no-sessions = Aucune séance choisie.
admin-promote = Donner une place maintenant
admin-promote-hint = Donne une place à ce ou cette délégué·e avant son tour sur la liste d'attente, si la rencontre et le quota du pays ont tous deux une place libre.
admin-promote-not-waiting = Seul·e un·e délégué·e sur la liste d'attente peut recevoir une place.
admin-promote-event-full = La rencontre est complète : il n'y a pas de place à donner.
admin-promote-country-full = Le quota du pays de ce ou cette délégué·e est complet : augmentez-le pour donner une place.
admin-promote-category-full = Les places de la catégorie de ce ou cette délégué·e sont toutes prises : augmentez sa capacité pour donner une place.
admin-approve-rejected = Cette inscription a été refusée : elle ne peut plus être acceptée.
admin-approve-not-needed = La catégorie de cette inscription ne demande pas d'acceptation.
admin-reject-confirmed = Cette inscription est confirmée : annulez-la plutôt.
admin-reject-not-pending = Seule une inscription en attente de décision peut être refusée ; annulez plutôt celle-ci.
error-reason-unknown = Choisissez l'un des motifs de la rencontre.
error-pending-holds-fixed = Des inscriptions attendent une décision : le fait qu'elles gardent leur place pourra changer quand toutes seront décidées.
error-approvals-invalid = Indiquez une liste de 1 à 500 identifiants d'inscription.
error-rejection-reasons-invalid = Indiquez une liste d'au plus 20 motifs, chacun avec un code et ses textes.
error-reason-code-invalid = Le code d'un motif est une lettre minuscule, puis des lettres, chiffres ou tirets bas, et aucun autre motif ne l'a.
admin-resend = Renvoyer le dernier courriel
admin-cancel = Annuler cette inscription
admin-cancel-confirm = Je confirme : les places du ou de la délégué·e iront aux listes d'attente.
admin-cancel-unconfirmed = Cochez la case de confirmation pour annuler cette inscription.
admin-history = Historique
admin-column-when = Quand
admin-column-who = Qui
admin-column-what = Quoi
admin-column-detail = Détail
admin-action-cancel = Inscription annulée
admin-action-promote = Place donnée avant son tour
admin-action-sessions = Séances modifiées
admin-action-resend = Courriel renvoyé
admin-action-retry = Nouvel essai d'un courriel en échec

## Emails

admin-emails-count =
    { $count ->
        [one] { $count } courriel
       *[other] { $count } courriels
    }
admin-column-kind = Courriel
admin-column-recipient = Destinataire
admin-column-subject = Objet
admin-column-attempts = Essais
admin-column-error = Dernière erreur
admin-email-confirmation = Confirmation
admin-email-waitlisted = Liste d'attente
admin-email-promoted = Place libérée
admin-email-sessions-changed = Séances modifiées
admin-email-cancelled = Annulation
admin-email-resend = Copie
admin-email-pending = en attente d'envoi
admin-email-sent = envoyé
admin-email-failed = en échec
admin-email-next = prochain essai : { $time }
admin-email-retry = Réessayer
admin-email-texts-intro = Chaque courriel peut être rédigé avec vos propres mots, dans chaque langue de la rencontre. Un courriel sans texte de votre part utilise le texte prévu par défaut.
admin-email-text-own = votre texte
admin-email-text-built-in = texte par défaut
admin-email-text-body = Texte du courriel
admin-email-text-placeholders = Ces variables, écrites avec leurs accolades, sont remplacées dans chaque courriel :
admin-email-text-reset = Revenir au texte par défaut
error-placeholder-unknown = { $name } ne fait pas partie des variables connues.
error-placeholder-unclosed = Une accolade { "{" } n'est pas fermée par { "}" }.

## Questions

error-not-boolean = Ce champ doit valoir true ou false.
error-question-code-invalid = Un code est une lettre minuscule, suivie d'au plus 31 lettres minuscules, chiffres ou tirets bas.
error-category-code-invalid = Un code de catégorie est une lettre minuscule, puis jusqu'à 31 lettres minuscules, chiffres ou tirets bas.
error-position-invalid = Indiquez un nombre entier de { $min } à { $max }.
error-category-in-use = Des inscriptions utilisent déjà cette catégorie : elle ne peut plus être supprimée, ni entrer dans les quotas ou en sortir.
error-category-asked = La question « { $code } » est posée à cette catégorie : retirez d’abord la catégorie de la question.
error-question-type-invalid = Choisissez l'un de ces types : { $name }.
error-question-stage-invalid = Choisissez registration ou after_approval.
error-choices-not-offered = Seules les questions à choix unique ou multiple ont des choix.
error-too-many-choices = Proposez au plus { $max } choix.
error-choice-code-invalid = Un code de choix est une lettre minuscule ou un chiffre, suivi d'au plus 31 lettres minuscules, chiffres, traits d'union ou tirets bas.
error-choice-repeated = Ce code de choix figure deux fois.
error-choice-held = Le choix { $code } est retenu par { $taken } inscriptions : gardez-le.
error-bounds-not-offered = Seules les questions de nombre et de date ont un minimum et un maximum.
error-bounds-crossed = Le maximum ne doit pas être inférieur au minimum.
error-condition-question-invalid = Une condition nomme une question oui/non ou à choix placée avant celle-ci.
error-choice-unknown-code = { $code } ne fait pas partie des réponses de cette question.
error-question-is-condition = La question { $code } n'est posée qu'après celle-ci : changez d'abord sa condition.
error-question-has-answers = { $count } inscriptions ont répondu à cette question. Supprimez avec confirm=true pour supprimer aussi leurs réponses.

## Questions in the back office

admin-tab-questions = Questions
admin-question-new = Nouvelle question
admin-question-edit-title = Question { $code }
admin-question-code = Code
admin-question-code-hint = Une lettre minuscule, puis des lettres minuscules, chiffres ou tirets bas, par exemple regime. Il donne son titre à la colonne de l'export et ne pourra plus être modifié.
admin-question-code-taken = Cette rencontre pose déjà une question avec ce code.
admin-question-type = Type de réponse
admin-question-type-text = Texte court
admin-question-type-long-text = Texte long
admin-question-type-yes-no = Oui ou non
admin-question-type-single-choice = Un seul choix
admin-question-type-multiple-choice = Plusieurs choix
admin-question-type-number = Nombre entier
admin-question-type-date = Date
admin-question-type-country = Pays
admin-question-type-file = Fichier
admin-question-label = Question
admin-question-help = Texte d'aide
admin-question-required = Réponse obligatoire
admin-question-sensitive = Sensible
admin-question-sensitive-hint = Les réponses sensibles ne sont montrées qu'aux organisateurs, jamais aux lecteurs, et restent hors des exports.
admin-question-position = Ordre
admin-question-position-hint = Les questions sont posées du plus petit nombre au plus grand.
admin-question-stage = Posée
admin-question-stage-registration = dans le formulaire d'inscription
admin-question-stage-after-approval = une fois l'inscription confirmée, sur la page personnelle
admin-question-choices = Choix
admin-question-choices-hint = Pour les types à choix seulement. Les lignes vides sont ignorées ; enregistrez pour obtenir d'autres lignes.
admin-question-choice = Choix { $position }
admin-question-choice-code = Code du choix
admin-question-condition = Ne poser que si…
admin-question-condition-parent = cette question précédente
admin-question-condition-none = (toujours poser)
admin-question-condition-words = a reçu l'une de ces réponses
admin-question-condition-hint = Codes de choix, ou yes et no, séparés par des virgules.
admin-question-min = Minimum
admin-question-max = Maximum
admin-question-bounds-hint = Pour un nombre, un nombre entier ; pour une date, AAAA-MM-JJ. Laissez vide pour ne fixer aucune limite.
admin-question-answers-until = Les délégués peuvent modifier la réponse jusqu'au
admin-question-answers-until-hint = Dans le fuseau horaire de l'événement. Ensuite, seuls les organisateurs modifient la réponse. Laissez vide pour ne fixer aucune fin.
admin-question-purge-days = Supprimer les réponses, jours après l'événement
admin-question-purge-days-hint = Rencontre supprime les réponses (et les fichiers) ce nombre de jours après le dernier jour de l'événement. Laissez vide pour les garder jusqu'à l'anonymisation de l'événement.
admin-question-answered = Réponses
admin-question-answered-count = { $count } délégué·e·s ont répondu.
admin-question-summary = Décompte
admin-question-summary-title = Décompte de { $code }
admin-question-count = Délégué·e·s
admin-question-by-country = Par pays
admin-question-counted-only = Pour ce type de question, seul le nombre de réponses est montré.
admin-question-delete = Supprimer la question
admin-question-delete-hint = { $count } inscriptions ont répondu à cette question ; leurs réponses sont supprimées avec elle.
admin-question-delete-confirm = Supprimer aussi les { $count } réponses
admin-presets = Questions toutes prêtes
admin-presets-hint = Un clic ajoute la question, rédigée dans les langues de la rencontre, après les autres ; modifiez-la ensuite à votre guise.
admin-preset-diet = Régime alimentaire
admin-preset-accessibility = Besoins d'accessibilité
admin-preset-interpretation = Langue d'interprétation
admin-preset-travel-dates = Dates d'arrivée et de départ
admin-preset-nationality = Nationalité du passeport
admin-answers = Réponses aux questions
admin-answers-change = Modifier les réponses
admin-answers-save = Enregistrer les réponses
admin-answer-hidden = Réponse sensible, montrée aux organisateurs seulement
admin-done-answers = Les réponses ont été enregistrées.
admin-action-answers = Réponses modifiées
error-preset-unknown = Choisissez l'une de ces questions toutes prêtes : { $name }.
error-preset-code-taken = Cette rencontre pose déjà une question avec le code { $code }.

# Email-verified places
admin-event-verification = Réserver chaque place jusqu’à la confirmation de son adresse e-mail
admin-event-verification-hint = Chaque nouvelle personne inscrite reçoit un lien par e-mail. Une place donnée à une adresse que personne n’a confirmée n’est que réservée : faute de confirmation à temps, elle va à la personne suivante sur la liste d’attente. Des adresses inventées ne peuvent alors pas prendre les places d’un pays.
admin-event-verification-hours = Heures de réservation d’une place pour son adresse e-mail
admin-event-verification-hours-hint = De 1 à 720. Laissez vide pour 24.
admin-email-verification = Nouveau lien de confirmation
admin-email-approved = Acceptation
admin-email-rejected = Refus
admin-promote-why = Pourquoi cette personne, avant la liste d’attente (gardé dans le journal)
admin-promote-why-required = Dites pourquoi cette personne reçoit une place avant la liste d’attente.
admin-status-held = { $status } : la place est réservée jusqu’au { $time }
