# What Rencontre says to delegates (pages, emails, API errors), in English.
# The words follow the project glossary, the same in all four languages.
# Every id here exists in fr, es and pt too (the tests of src/i18n check it).
# Arguments arrive already formatted, except $count, $max and $position,
# which are numbers so that plural and ordinal selectors can use them.

## Site

site-title = Rencontre
skip-to-content = Skip to main content
language-switcher-label = Language
footer-text = Rencontre: registration for international meetings.

## Home page

home-title = Open meetings
home-intro = Choose a meeting to see its programme and the places left, and to register as a delegate.
home-none-open = No meeting is open for registration at the moment.
event-dates = From { $start } to { $end }
event-register-link = Register
event-details-link = Meeting details

## Meeting page

event-places-left =
    { $count ->
        [one] { $count } place left
       *[other] { $count } places left
    }
event-full = Full
event-unlimited = No limit
event-capacity-heading = Capacity
event-sessions-heading = Sessions
event-countries-heading = Country quotas
event-country-quota-note = Each country has a quota of places, so that no single delegation takes all the places. If your country's quota is full, your registration goes on the waiting list.
event-registration-window = Registration: from { $opens } to { $closes }
registration-closed = Registration is closed
session-kind-plenary = Plenary
session-kind-workshop = Workshop
session-room = Room: { $room }
table-country = Country
table-capacity = Capacity
table-remaining = Places left
table-session = Session
table-time = Time

## Registration form

form-title = Registration: { $event }
form-intro = Fill in this form to register as a delegate. We will email you a confirmation with your private link.
field-given-name = Given name
field-family-name = Family name
field-family-name-hint = Leave this empty if you have only one name.
field-email = Email address
field-email-hint = We will send your confirmation and your private link to this address.
field-country = Country
field-country-choose = Choose a country
field-category = I register as
field-organisation = Organisation
field-organisation-hint = The organisation, movement or network you represent, if any.
field-language = Language
field-language-hint = The language of the emails we send you.
field-sessions = Sessions
field-sessions-hint = You cannot choose two sessions that take place at the same time.
session-full-waitlist = Full: you will be put on the waiting list
form-submit = Register
form-errors-title =
    { $count ->
        [one] There is one problem with your registration
       *[other] There are { $count } problems with your registration
    }
form-required-note = All fields are required unless marked optional.
optional = (optional)

## Errors

error-required = This field is required.
error-too-long = Use at most { $max } characters.
error-invalid-character = This contains a character that is not allowed: an invisible, control or text-direction character (a zero-width space, for example). Retype it without copying from elsewhere.
error-line-break = Write this on one line.
error-too-many-marks = This has more accents or marks than a name needs. Retype it.
error-email-invalid = Enter a valid email address, for example name@example.org.
error-country-invalid = Choose a country from the list.
error-language-invalid = Choose one of the languages offered for this meeting.
error-session-code-invalid = A session code may only contain letters, digits, hyphens and underscores.
error-slug-invalid = A meeting's web address may only contain lower-case letters, digits and hyphens, and cannot start or end with a hyphen.
error-session-unknown = This meeting has no session { $code }.
error-sessions-overlap = Sessions { $first } and { $second } take place at the same time: choose only one.
error-too-many-sessions = Choose at most { $max } sessions.
error-duplicate = This email address is already registered for this meeting. Use your private link, sent in the confirmation email, to view or change your registration.
error-registration-closed = Registration for this meeting is closed.
error-csrf = This form has expired. Please submit it again.
error-not-found-title = Page not found
error-not-found-text = Check the address. If you followed your private link, copy it in full from your confirmation email.
error-server-title = Something went wrong
error-server-text = Please try again in a few minutes. If you were registering, check your email first: if you have received a confirmation, your registration is recorded.
error-busy = There are too many requests at the moment. Please try again in a moment.
error-too-large = What you sent is too long to be accepted. Shorten the longest answers and send the form again.

## Confirmation page

confirm-title-confirmed = Your registration is confirmed
confirm-title-waitlisted = You are on the waiting list
confirm-reference = Your reference: { $reference }
confirm-waitlist-position = You are in position { $position } on the waiting list.
confirm-email-sent = We are sending a confirmation email to { $email }.
confirm-private-link = Your private link: keep it, it lets you view, change or cancel your registration.
confirm-open-private-page = Open your registration page

## Private page

manage-title = Your registration
manage-status = Status: { $status }
status-confirmed = confirmed
status-waitlisted = on the waiting list
status-cancelled = cancelled
manage-delegate = Delegate
manage-sessions-heading = Your sessions
manage-session-status-confirmed = Place confirmed
manage-session-status-waitlisted = On the waiting list
manage-no-sessions = You have not chosen any session.
manage-change-sessions = Change your sessions
manage-save-sessions = Save sessions
manage-sessions-saved = Your sessions have been saved.
manage-cancel-heading = Cancel your registration
manage-cancel-warning = If you cancel, your place will be given to the next delegate on the waiting list. This cannot be undone.
manage-cancel-button = Cancel registration
manage-cancel-confirm-title = Cancel your registration?
manage-cancel-confirm-text = Your registration and all your sessions will be cancelled, and your places given to the next delegates on the waiting lists. This cannot be undone.
manage-cancel-confirm-button = Yes, cancel my registration
manage-cancel-back = No, keep my registration
manage-cancelled-notice = Your registration has been cancelled.
manage-print = Print this page
manage-download-data = Download your data (JSON)

## Errors of the JSON API

error-json-object = The request body must be a JSON object.
error-unknown-field = This field is unknown.
error-not-text = This field must be text.
error-not-text-list = This field must be a list of texts.
error-unreadable = This cannot be read: { $problem }
error-unchangeable = This cannot be changed: it stays { $code }.
error-reference-prefix-invalid = Use 2 to 5 letters.
error-not-text-map = This field must be an object of texts by language code.
error-email-kind-invalid = Choose one of these kinds of email: { $name }.
error-page-invalid = Choose a page from 1 to the last one.
error-per-page-invalid = Choose from 1 to { $max } rows a page.
error-idempotency-key-invalid = An Idempotency-Key has 1 to 255 visible ASCII characters.
error-idempotency-key-reused = This Idempotency-Key was already used for a different request.
error-status-invalid = `{ $status }` is not one of confirmed, waitlisted and cancelled.
error-country-code-invalid = `{ $code }` is not an ISO 3166-1 alpha-2 country code.
error-cursor-malformed = This is not a cursor this server gave.
error-cursor-other-event = This cursor belongs to another event's list.
error-cursor-other-order = This cursor belongs to the list in another order.
error-cursor-other-search = This cursor belongs to a list with a search, or without one, unlike this one.
error-cursor-with-page = A cursor cannot be given with a page: follow next instead.
error-cursor-both-ways = Give a cursor in after or in before, not both.
error-answer-filter-unknown = This event has no question with the code { $code }.
error-answer-filter-sensitive = Answers to a sensitive question cannot filter the list.
error-answer-filter-kind = Only yes/no and choice questions can filter the list.
error-answer-filter-word = Choose one of: { $name }.
error-sort-invalid = Choose one of these orders: { $name }, or none.

## Emails
# Subjects start with the meeting's name: names are full titles, which do
# not take a preposition well in every language.

email-subject-confirmation = { $event }: your registration is confirmed
email-subject-waitlisted = { $event }: you are on the waiting list
email-subject-promoted = { $event }: a place has been freed for you
email-subject-sessions_changed = { $event }: your sessions have been saved
email-subject-cancelled = { $event }: your registration has been cancelled
email-subject-resend = { $event }: your registration
email-greeting = Dear { $name },
email-lead-confirmation = Thank you for registering. Your registration is confirmed, and we look forward to welcoming you.
email-lead-waitlisted = Thank you for registering. There is no place left for the moment, so your registration is on the waiting list. We will write to you as soon as a place is freed for you.
email-lead-promoted = Good news: a place has been freed for you. Here is your registration as it now stands.
email-lead-sessions_changed = Your session choices have been saved. Here is your registration as it now stands.
email-lead-cancelled = Your registration has been cancelled. If you change your mind, you can register again while registration is open.
email-lead-resend = As requested, here are the details of your registration again.
email-private-link-earlier = Your private link, in the email we sent when you registered, lets you view, change or cancel your registration.
email-signature = The organising team

## Questions of the organisers

error-question-unknown = This meeting asks no such question.
error-question-after-approval = This question is asked once your registration is confirmed.
error-answer-yes-no = Answer yes or no.
error-choice-unknown = Choose one of the answers offered.
error-choices-not-list = Choose answers from the list.
error-answer-number = Enter a whole number.
error-answer-below-min = Enter a number of at least { $min }.
error-answer-above-max = Enter a number of at most { $max }.
error-answer-date = Enter a date, for example 2027-11-22.
error-answer-date-before = Enter a date on or after { $min }.
error-answer-date-after = Enter a date on or before { $max }.
error-choice-full = This choice is full: choose another one.
error-category-unknown = Choose one of the categories offered.
error-answer-closed = This answer can no longer be changed: answers closed on { $time }. Write to the organisers.
error-purge-days-invalid = Give a whole number of days from 0 to { $max }, or leave it empty.
manage-answers-closed = Closed on { $time }: write to the organisers to change it.
answer-yes = Yes
answer-no = No
answer-choice-full = (full)
answer-only-if = Answer only if you answered “{ $question }” with: { $answers }.
answer-only-for = Only for: { $categories }.
manage-change-answers = Change your answers
manage-save-answers = Save answers
manage-answers-saved = Your answers have been saved.
error-answer-file = Send a file: a PDF, a JPEG or a PNG.
error-file-empty = This file is empty: choose another one.
error-file-too-big = This file is too large: send one of at most { $max }.
error-file-type = Send a PDF, a JPEG or a PNG: this file is none of them.
error-file-unknown = This file was not sent with this registration: send it again.
error-question-not-file = This question does not take a file.
answer-file-kinds = A PDF, JPEG or PNG file, at most { $max }.
answer-file-again = Please choose the file again: it was not kept.
answer-file-current = Download the file you sent

# Email-verified places
status-unverified = awaiting email confirmation
confirm-title-unverified = Check your email to keep your place
email-subject-unverified = { $event }: confirm your email address to keep your place
email-lead-unverified = Thank you for registering. A place is held for you: confirm your email address to keep it.
email-verify-hold = Confirm your email address by { $time } to keep your place: open this link and press the button.
email-verify-waiting = Confirm your email address now with this link: when a place is freed for you, it is held only for a short time for an address nobody has confirmed.
email-verify-earlier = Confirm your email address by { $time } to keep this place, with the link in the first email we sent you.
error-verification-invalid = Choose “none” or “email”.
error-verification-hours-invalid = Give a whole number of hours from { $min } to { $max }.
verify-title = Confirm your email address
verify-lead = Press the button to confirm your email address for { $event }.
verify-button = Confirm my email address
verify-done-confirmed = Thank you: your email address is confirmed, and so is your place.
verify-done-waiting = Thank you: your email address is confirmed. You keep your turn on the waiting list.
verify-already = Your email address was already confirmed.
verify-cancelled = This registration is cancelled: its place was held until a deadline that has passed. You can register again while registration is open.
verify-unknown = This link is not, or no longer, valid.
manage-verify-by = Your place is held until { $time }: confirm your email address with the link we sent you, or it goes to the next person waiting.
email-subject-verification = { $event }: your link to confirm your email address
email-lead-verification = As you asked, here is a new link to confirm your email address. The links of earlier emails no longer work.
verify-again-title = Get a new confirmation link
verify-again-lead = Registered for { $event }, but cannot find the link to confirm your email address? Give the address you registered with.
verify-again-email = Your email address
verify-again-button = Send me a new link
verify-again-sent = If a registration for this meeting awaits the confirmation of this address, a new link is on its way to it. Only one link is sent every 10 minutes.
verify-again-link = Registered already, but no confirmation link? Get a new one.

# Approval
status-pending = awaiting the organisers' decision
status-rejected = not accepted
confirm-title-pending = Your registration awaits the organisers' decision
verify-done-pending = Thank you: your email address is confirmed. The organisers will now decide on your registration, and we will write to you.
email-subject-pending = { $event }: we have received your registration
email-lead-pending = Thank you for registering. The organisers review each registration of this category and will write to you with their decision.
email-subject-approved = { $event }: your registration is accepted
email-lead-approved = Good news: the organisers have accepted your registration.
email-subject-rejected = { $event }: your registration
email-lead-rejected = We are sorry: the organisers could not accept your registration.
email-rejection-reason = Reason: { $reason }
rejection-reason-other = another reason
rejection-reason-incomplete = the registration is incomplete
rejection-reason-not-eligible = the registration does not meet this category's conditions
rejection-reason-no-place = there is no place left for this category
