# Ce que Rencontre dit aux délégué·e·s (pages, e-mails, erreurs de l'API), en français.
# Vocabulaire du glossaire du projet ; vouvoiement partout.
# Chaque identifiant existe aussi en en, es et pt (vérifié par les tests de src/i18n).
# Les arguments arrivent déjà formatés, sauf $count, $max et $position, qui
# sont des nombres pour les sélecteurs de pluriel et d'ordinal.
# Fluent applique les règles du pluriel français : 0 et 1 prennent [one].

## Site

site-title = Rencontre
skip-to-content = Aller au contenu principal
language-switcher-label = Langue
footer-text = Rencontre : inscriptions aux rencontres internationales.

## Page d'accueil

home-title = Rencontres ouvertes
home-intro = Choisissez une rencontre pour voir son programme et les places restantes, et pour vous inscrire comme délégué·e.
home-none-open = Aucune rencontre n'est ouverte aux inscriptions pour le moment.
event-dates = Du { $start } au { $end }
event-register-link = S'inscrire
event-details-link = Détails de la rencontre

## Page de la rencontre

event-places-left =
    { $count ->
        [one] { $count } place restante
       *[other] { $count } places restantes
    }
event-full = Complet
event-unlimited = Sans limite
event-capacity-heading = Capacité
event-sessions-heading = Séances
event-countries-heading = Quotas par pays
event-country-quota-note = Chaque pays dispose d'un quota de places, pour qu'aucune délégation n'occupe toutes les places. Si le quota de votre pays est atteint, votre inscription est placée sur la liste d'attente.
event-registration-window = Inscriptions : du { $opens } au { $closes }
registration-closed = Les inscriptions sont closes
session-kind-plenary = Plénière
session-kind-workshop = Atelier
session-room = Salle : { $room }
table-country = Pays
table-capacity = Capacité
table-remaining = Places restantes
table-session = Séance
table-time = Horaire

## Formulaire d'inscription

form-title = Inscription : { $event }
form-intro = Remplissez ce formulaire pour vous inscrire comme délégué·e. Vous recevrez par e-mail une confirmation avec votre lien personnel.
field-given-name = Prénom
field-family-name = Nom
field-family-name-hint = Laissez ce champ vide si vous n'avez qu'un seul nom.
field-email = Adresse e-mail
field-email-hint = Nous enverrons à cette adresse votre confirmation et votre lien personnel.
field-country = Pays
field-country-choose = Choisissez un pays
field-category = Je m'inscris comme
field-organisation = Organisation
field-organisation-hint = L'organisation, le mouvement ou le réseau que vous représentez, le cas échéant.
field-language = Langue
field-language-hint = La langue des e-mails que nous vous enverrons.
field-sessions = Séances
field-sessions-hint = Vous ne pouvez pas choisir deux séances qui ont lieu en même temps.
session-full-waitlist = Complet : vous serez sur la liste d'attente
form-submit = S'inscrire
form-errors-title =
    { $count ->
        [one] Votre inscription comporte un problème
       *[other] Votre inscription comporte { $count } problèmes
    }
form-required-note = Tous les champs sont obligatoires, sauf ceux marqués facultatifs.
optional = (facultatif)

## Erreurs

error-required = Ce champ est obligatoire.
error-too-long = Utilisez au maximum { $max } caractères.
error-invalid-character = Ce champ contient un caractère non autorisé : un caractère invisible, de contrôle ou de direction du texte (une espace de largeur nulle, par exemple). Retapez-le sans le copier d'ailleurs.
error-line-break = Écrivez ceci sur une seule ligne.
error-too-many-marks = Ce champ contient plus d'accents ou de signes qu'il n'en faut pour un nom. Retapez-le.
error-email-invalid = Saisissez une adresse e-mail valide, par exemple nom@example.org.
error-country-invalid = Choisissez un pays dans la liste.
error-language-invalid = Choisissez l'une des langues proposées pour cette rencontre.
error-session-code-invalid = Un code de séance ne peut contenir que des lettres, des chiffres, des tirets et des tirets bas.
error-slug-invalid = L'adresse web d'une rencontre ne peut contenir que des lettres minuscules, des chiffres et des tirets, et ne peut ni commencer ni finir par un tiret.
error-session-unknown = Cette rencontre n'a pas de séance { $code }.
error-sessions-overlap = Les séances { $first } et { $second } ont lieu en même temps : n'en choisissez qu'une.
error-too-many-sessions = Choisissez au maximum { $max } séances.
error-duplicate = Cette adresse e-mail est déjà inscrite à cette rencontre. Utilisez votre lien personnel, envoyé dans l'e-mail de confirmation, pour consulter ou modifier votre inscription.
error-registration-closed = Les inscriptions à cette rencontre sont closes.
error-csrf = Ce formulaire a expiré. Veuillez l'envoyer à nouveau.
error-not-found-title = Page introuvable
error-not-found-text = Vérifiez l'adresse. Si vous avez suivi votre lien personnel, copiez-le en entier depuis votre e-mail de confirmation.
error-server-title = Une erreur s'est produite
error-server-text = Veuillez réessayer dans quelques minutes. Si vous étiez en train de vous inscrire, consultez d'abord vos e-mails : si vous avez reçu une confirmation, votre inscription est bien enregistrée.
error-busy = Il y a trop de demandes en ce moment. Veuillez réessayer dans un instant.
error-too-large = Ce que vous avez envoyé est trop long pour être accepté. Raccourcissez les réponses les plus longues et envoyez à nouveau le formulaire.

## Page de confirmation

confirm-title-confirmed = Votre inscription est confirmée
confirm-title-waitlisted = Vous êtes sur la liste d'attente
confirm-reference = Votre référence : { $reference }
# « Position » est féminin : 1ʳᵉ, puis 2ᵉ, 3ᵉ…
confirm-waitlist-position =
    Votre position : { $position ->
        [1] 1ʳᵉ
       *[other] { $position }ᵉ
    } sur la liste d'attente.
confirm-email-sent = Nous envoyons un e-mail de confirmation à { $email }.
confirm-private-link = Votre lien personnel : conservez-le, il vous permet de consulter, modifier ou annuler votre inscription.
confirm-open-private-page = Ouvrir la page de votre inscription

## Page personnelle

manage-title = Votre inscription
manage-status = Statut : { $status }
status-confirmed = confirmée
status-waitlisted = sur la liste d'attente
status-cancelled = annulée
manage-delegate = Délégué·e
manage-sessions-heading = Vos séances
manage-session-status-confirmed = Place confirmée
manage-session-status-waitlisted = Sur la liste d'attente
manage-no-sessions = Vous n'avez choisi aucune séance.
manage-change-sessions = Modifier vos séances
manage-save-sessions = Enregistrer les séances
manage-sessions-saved = Vos séances ont été enregistrées.
manage-cancel-heading = Annuler votre inscription
manage-cancel-warning = Si vous annulez, votre place sera attribuée à la personne suivante sur la liste d'attente. Cette action est définitive.
manage-cancel-button = Annuler l'inscription
manage-cancel-confirm-title = Annuler votre inscription ?
manage-cancel-confirm-text = Votre inscription et toutes vos séances seront annulées, et vos places attribuées aux personnes suivantes sur les listes d'attente. Cette action est définitive.
manage-cancel-confirm-button = Oui, annuler mon inscription
manage-cancel-back = Non, garder mon inscription
manage-cancelled-notice = Votre inscription a été annulée.
manage-print = Imprimer cette page
manage-download-data = Télécharger vos données (JSON)

## Erreurs de l'API JSON

error-json-object = Le corps de la requête doit être un objet JSON.
error-unknown-field = Ce champ est inconnu.
error-not-text = Ce champ doit être du texte.
error-not-text-list = Ce champ doit être une liste de textes.
error-unreadable = Illisible : { $problem }
error-unchangeable = Ceci ne peut pas être modifié : la valeur reste { $code }.
error-reference-prefix-invalid = Utilisez de 2 à 5 lettres.
error-not-text-map = Ce champ doit être un objet de textes par code de langue.
error-email-kind-invalid = Choisissez l'un de ces types d'email : { $name }.
error-page-invalid = Choisissez une page entre 1 et la dernière.
error-per-page-invalid = Choisissez de 1 à { $max } lignes par page.
error-idempotency-key-invalid = Un Idempotency-Key compte de 1 à 255 caractères ASCII visibles.
error-idempotency-key-reused = Cet Idempotency-Key a déjà servi pour une autre requête.
error-status-invalid = « { $status } » n'est pas confirmed, waitlisted ou cancelled.
error-country-code-invalid = « { $code } » n'est pas un code de pays ISO 3166-1 alpha-2.
error-cursor-malformed = Ce curseur n'a pas été donné par ce serveur.
error-cursor-other-event = Ce curseur appartient à la liste d'une autre rencontre.
error-cursor-other-order = Ce curseur appartient à la liste dans un autre ordre.
error-cursor-other-search = Ce curseur appartient à une liste avec une recherche, ou sans, au contraire de celle-ci.
error-cursor-with-page = Un curseur ne se donne pas avec une page : suivez next.
error-cursor-both-ways = Donnez un curseur dans after ou dans before, pas les deux.
error-answer-filter-unknown = Cet événement n'a pas de question de code { $code }.
error-answer-filter-sensitive = Les réponses à une question sensible ne peuvent pas filtrer la liste.
error-answer-filter-kind = Seules les questions oui/non et à choix peuvent filtrer la liste.
error-answer-filter-word = Choisissez parmi : { $name }.
error-sort-invalid = Choisissez l'un de ces ordres : { $name }, ou aucun.

## E-mails

email-subject-confirmation = { $event } : votre inscription est confirmée
email-subject-waitlisted = { $event } : vous êtes sur la liste d'attente
email-subject-promoted = { $event } : une place s'est libérée pour vous
email-subject-sessions_changed = { $event } : vos séances ont été enregistrées
email-subject-cancelled = { $event } : votre inscription a été annulée
email-subject-resend = { $event } : votre inscription
email-greeting = Bonjour { $name },
email-lead-confirmation = Merci pour votre inscription. Votre inscription est confirmée et nous nous réjouissons de vous accueillir.
email-lead-waitlisted = Merci pour votre inscription. Il ne reste plus de place pour le moment : votre inscription est donc sur la liste d'attente. Nous vous écrirons dès qu'une place se libérera pour vous.
email-lead-promoted = Bonne nouvelle : une place s'est libérée pour vous. Voici votre inscription telle qu'elle est désormais.
email-lead-sessions_changed = Vos choix de séances ont été enregistrés. Voici votre inscription telle qu'elle est désormais.
email-lead-cancelled = Votre inscription a été annulée. Si vous changez d'avis, vous pouvez vous inscrire à nouveau tant que les inscriptions sont ouvertes.
email-lead-resend = Comme demandé, voici à nouveau le détail de votre inscription.
email-private-link-earlier = Votre lien personnel, dans l'e-mail envoyé lors de votre inscription, vous permet de consulter, modifier ou annuler votre inscription.
email-signature = L'équipe d'organisation

## Questions des organisateur·rice·s

error-question-unknown = Cette rencontre ne pose pas cette question.
error-question-after-approval = Cette question est posée une fois votre inscription confirmée.
error-answer-yes-no = Répondez oui ou non.
error-choice-unknown = Choisissez l'une des réponses proposées.
error-choices-not-list = Choisissez des réponses dans la liste.
error-answer-number = Saisissez un nombre entier.
error-answer-below-min = Saisissez un nombre d'au moins { $min }.
error-answer-above-max = Saisissez un nombre d'au plus { $max }.
error-answer-date = Saisissez une date, par exemple 2027-11-22.
error-answer-date-before = Saisissez une date à partir du { $min }.
error-answer-date-after = Saisissez une date jusqu'au { $max }.
error-choice-full = Ce choix est complet : choisissez-en un autre.
error-category-unknown = Choisissez l'une des catégories proposées.
error-answer-closed = Cette réponse ne peut plus être modifiée : les réponses étaient possibles jusqu'au { $time }. Écrivez aux organisateurs.
error-purge-days-invalid = Indiquez un nombre entier de jours de 0 à { $max }, ou laissez vide.
manage-answers-closed = Clos le { $time } : écrivez aux organisateurs pour la modifier.
answer-yes = Oui
answer-no = Non
answer-choice-full = (complet)
answer-only-if = À remplir seulement si vous avez répondu « { $question } » par : { $answers }.
answer-only-for = Seulement pour : { $categories }.
manage-change-answers = Modifier vos réponses
manage-save-answers = Enregistrer les réponses
manage-answers-saved = Vos réponses ont été enregistrées.
error-answer-file = Envoyez un fichier : un PDF, un JPEG ou un PNG.
error-file-empty = Ce fichier est vide : choisissez-en un autre.
error-file-too-big = Ce fichier est trop volumineux : envoyez-en un de { $max } au plus.
error-file-type = Envoyez un PDF, un JPEG ou un PNG : ce fichier n'est rien de cela.
error-file-unknown = Ce fichier n'a pas été envoyé avec cette inscription : envoyez-le à nouveau.
error-question-not-file = Cette question n'attend pas de fichier.
answer-file-kinds = Un fichier PDF, JPEG ou PNG, de { $max } au plus.
answer-file-again = Veuillez choisir à nouveau le fichier : il n'a pas été conservé.
answer-file-current = Télécharger le fichier envoyé

# Email-verified places
status-unverified = en attente de confirmation de l’adresse e-mail
confirm-title-unverified = Consultez vos e-mails pour garder votre place
email-subject-unverified = { $event } : confirmez votre adresse e-mail pour garder votre place
email-lead-unverified = Merci de votre inscription. Une place vous est réservée : confirmez votre adresse e-mail pour la garder.
email-verify-hold = Confirmez votre adresse e-mail avant le { $time } pour garder votre place : ouvrez ce lien et appuyez sur le bouton.
email-verify-waiting = Confirmez dès maintenant votre adresse e-mail avec ce lien : quand une place se libère pour vous, elle n’est réservée que peu de temps à une adresse que personne n’a confirmée.
email-verify-earlier = Confirmez votre adresse e-mail avant le { $time } pour garder cette place, avec le lien du premier e-mail que nous vous avons envoyé.
error-verification-invalid = Choisissez « none » ou « email ».
error-verification-hours-invalid = Indiquez un nombre entier d’heures de { $min } à { $max }.
verify-title = Confirmez votre adresse e-mail
verify-lead = Appuyez sur le bouton pour confirmer votre adresse e-mail pour { $event }.
verify-button = Confirmer mon adresse e-mail
verify-done-confirmed = Merci : votre adresse e-mail est confirmée, et votre place aussi.
verify-done-waiting = Merci : votre adresse e-mail est confirmée. Vous gardez votre rang sur la liste d’attente.
verify-already = Votre adresse e-mail était déjà confirmée.
verify-cancelled = Cette inscription est annulée : sa place était réservée jusqu’à une échéance dépassée. Vous pouvez vous réinscrire tant que les inscriptions sont ouvertes.
verify-unknown = Ce lien n’est pas, ou plus, valable.
manage-verify-by = Votre place est réservée jusqu’au { $time } : confirmez votre adresse e-mail avec le lien que nous vous avons envoyé, sinon elle ira à la personne suivante sur la liste d’attente.
email-subject-verification = { $event } : votre lien pour confirmer votre adresse e-mail
email-lead-verification = Comme vous l’avez demandé, voici un nouveau lien pour confirmer votre adresse e-mail. Les liens des e-mails précédents ne fonctionnent plus.
verify-again-title = Recevoir un nouveau lien de confirmation
verify-again-lead = Inscrit·e à { $event }, mais vous ne trouvez pas le lien pour confirmer votre adresse e-mail ? Indiquez l’adresse utilisée pour vous inscrire.
verify-again-email = Votre adresse e-mail
verify-again-button = M’envoyer un nouveau lien
verify-again-sent = Si une inscription à cette rencontre attend la confirmation de cette adresse, un nouveau lien lui est envoyé. Un seul lien part toutes les 10 minutes.
verify-again-link = Déjà inscrit·e, mais pas de lien de confirmation ? En recevoir un nouveau.

# Approval
status-pending = en attente de la décision des organisateurs
status-rejected = non retenue
confirm-title-pending = Votre inscription attend la décision des organisateurs
verify-done-pending = Merci : votre adresse e-mail est confirmée. Les organisateurs vont maintenant décider de votre inscription, et nous vous écrirons.
email-subject-pending = { $event } : nous avons reçu votre inscription
email-lead-pending = Merci de votre inscription. Les organisateurs examinent chaque inscription de cette catégorie et vous écriront pour vous faire part de leur décision.
email-subject-approved = { $event } : votre inscription est acceptée
email-lead-approved = Bonne nouvelle : les organisateurs ont accepté votre inscription.
email-subject-rejected = { $event } : votre inscription
email-lead-rejected = Nous sommes désolés : les organisateurs n'ont pas pu retenir votre inscription.
email-rejection-reason = Motif : { $reason }
rejection-reason-other = un autre motif
rejection-reason-incomplete = l'inscription est incomplète
rejection-reason-not-eligible = l'inscription ne remplit pas les conditions de cette catégorie
rejection-reason-no-place = il ne reste plus de place dans cette catégorie
