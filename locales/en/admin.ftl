## Back office (organisers): pages under /admin.
# Same glossary as main.ftl. Arguments arrive already formatted, except
# $count, $taken, $line, $page, $pages and $position, which are numbers.

admin-site-title = Rencontre — back office
admin-logout = Log out
admin-error-title = This could not be done
admin-error-forbidden = You are not allowed to do this. A viewer account can read and export, but changes need an organiser account; if yours is one, the form may have expired: reload the page and try again.
admin-error-not-found = There is nothing at this address. Go back to the list and choose again.
admin-error-invalid = Something in this request is not valid. Go back to the page and try again.
admin-error-cancelled = This registration is cancelled: it can no longer be changed.
admin-form-expired = This form has expired. Please submit it again.
admin-problems-title = Please correct the following
admin-refused-title = This was not done
admin-save = Save
admin-none-yet = Nothing yet.
admin-actions = Actions
admin-page-of = Page { $page } of { $pages }

## Notices after an action

admin-done-saved = Your changes have been saved.
admin-done-deleted = The session has been deleted.
admin-done-imported = The country quotas have been imported.
admin-done-cancelled = The registration has been cancelled and the delegate has been told by email.
admin-done-promoted = The delegate has been given a place and has been told by email.
admin-approvals-hint = Tick the registrations to accept below, then accept them together: each takes the next place, in the order of the list.
admin-approvals-submit = Accept the selected
admin-approvals-tick = Accept { $reference }
admin-column-category = Category
admin-decision = Decision
admin-approve = Accept this registration
admin-reject = Reject this registration
admin-reject-reason = Reason
admin-reject-note = Note to the delegate
admin-reject-note-hint = Optional. Written in the email under the reason, as typed.
admin-done-approved = The registration has been accepted and the delegate told by email.
admin-done-approved-many = Accepted: { $accepted }, each told by email. Not accepted: { $refused } (already decided, cancelled, or not of this event).
admin-done-rejected = The registration has been rejected and the delegate told by email, with the reason.
admin-action-approve = Accepted
admin-action-reject = Rejected
admin-category-approval = Registrations need the organisers' approval
admin-event-pending-holds = A registration awaiting approval keeps the place it was given
admin-event-pending-holds-hint = Unticked, registrations awaiting approval take no place: accepting one gives it the next place, or the waiting list.
admin-done-sessions = The sessions have been changed and the delegate has been told by email.
admin-done-resent = The last email has been queued to be sent again.
admin-done-retried = The email will be sent again shortly.
admin-done-reset = The built-in wording will be used again.

## Login

admin-login-title = Organiser login
admin-password = Password
admin-login-submit = Log in
admin-login-failed = The email address or the password is not right.
admin-login-too-many = Too many failed attempts. Please wait up to 15 minutes before trying again.

## Events

admin-events-title = Meetings
admin-events-none = There is no meeting yet.
admin-column-event = Meeting
admin-column-dates = Dates
admin-column-window = Registration
admin-window-open = open
admin-window-upcoming = not open yet
admin-window-closed = closed
admin-event-new-title = New meeting
admin-event-edit-title = Meeting settings
admin-event-slug = Web address
admin-event-slug-hint = Lower-case letters, digits and hyphens, for example dakar-2005. It cannot be changed later.
admin-event-slug-taken = Another meeting already has this web address.
admin-event-name = Name
admin-event-description = Description
admin-event-starts-on = First day
admin-event-ends-on = Last day
error-event-ends-invalid = Enter the last day, on or after the first day.
error-date-invalid = Enter a date, for example 2027-11-22.
admin-event-timezone = Time zone
admin-event-timezone-hint = The meeting's time zone, for example Africa/Dakar or America/Lima. Every time below is in this zone.
error-timezone-invalid = Enter a time zone name such as Africa/Dakar.
admin-event-languages = Languages of the meeting
error-languages-invalid = Choose at least one language.
admin-event-languages-hint = The first language ticked is the meeting's first language: its texts stand in for any text missing in another language.
admin-event-opens = Registration opens
admin-event-closes = Registration closes
error-event-closes-invalid = Enter when registration closes, after it opens.
admin-times-hint = In the meeting's time zone.
error-time-invalid = Enter a date and a time.
admin-event-capacity = Capacity of the meeting
admin-capacity-hint = Leave empty for no limit.
error-capacity-invalid = Enter a whole number of at least 0, or leave the field empty for no limit.
admin-event-default-quota = Default country quota
admin-event-default-quota-hint = The places of each country that has no quota of its own. Leave empty for no limit per country.
error-capacity-below-taken =
    { $taken ->
        [one] The capacity cannot be lower than the place already taken.
       *[other] The capacity cannot be lower than the { $taken } places already taken.
    }
admin-translations = Other languages
admin-translations-hint = The texts above are in the meeting's first language. A language whose field is left empty shows them instead.
error-text-too-long = Use at most { $max } characters.
error-language-not-offered = This is not one of the meeting's languages. Add the language to the meeting, or leave this field empty.

## An event's pages

admin-tab-dashboard = Overview
admin-tab-registrations = Registrations
admin-tab-sessions = Sessions
admin-tab-countries = Country quotas
admin-tab-emails = Emails
admin-tab-email-texts = Email wording
admin-tab-settings = Settings
admin-whole-event = Whole meeting
admin-confirmed = Places taken
admin-waiting = Waiting list
admin-filled = Places taken
admin-per-day = Registrations per day
admin-column-day = Day

## Sessions

admin-session-new = New session
admin-session-edit-title = Session { $code }
admin-session-code = Code
admin-session-code-hint = Letters, digits, hyphens and underscores, for example A3. It cannot be changed later.
admin-session-code-taken = This meeting already has a session with this code.
admin-session-title = Title
admin-session-description = Description
admin-session-kind = Kind
error-session-kind-invalid = Choose workshop or plenary.
admin-session-room = Room
admin-session-starts = Starts
admin-session-ends = Ends
error-session-ends-invalid = Enter when the session ends, after it starts.
admin-session-capacity = Seats
admin-session-delete = Delete this session
admin-session-delete-hint = Only a session that no delegate has chosen can be deleted.
admin-tab-categories = Categories
admin-categories-intro = Delegates, observers, speakers, press, staff… Each category may have places of its own; one outside the quotas takes none of the event's or the countries' places.
admin-categories-none = No categories: every delegate registers alike.
admin-category-code = Code
admin-category-code-hint = A lower-case letter, then letters, digits or underscores, e.g. observer. It names the category in the API and the exports, and cannot change.
admin-category-code-taken = This meeting already has a category with this code.
admin-category-name = Name
admin-category-name-in = Name in { $name }
admin-category-capacity = Places of its own
admin-category-position = Position on the form
admin-category-counts = Its places count in the quotas
admin-category-counts-hint = Ticked, a place also takes one of the meeting's capacity and of the delegate's country quota. Fixed once someone registers in it.
admin-category-public-label = Delegates may choose it on the form
admin-category-public-hint = Unticked, only organisers assign it (an invitation).
admin-category-quotas = Quotas
admin-category-in-quotas = In the quotas
admin-category-outside-quotas = Outside the quotas
admin-category-offered = Offered
admin-category-public = On the form
admin-category-invitation = By invitation
admin-category-waiting = Waiting
admin-category-new = New category
admin-category-edit-title = Category { $code }
admin-category-delete = Delete this category
admin-category-delete-hint = Only a category nobody ever registered in can be deleted.
admin-category-decide-first = This registration awaits a decision: accept or reject it first.
admin-category-no-room = The new category has no place free for this delegate: nothing was changed.
admin-category-change = Put in this category
admin-done-category = The registration is in its new category.
admin-action-category = Category changed
admin-session-has-choices =
    { $count ->
        [one] This session cannot be deleted: one delegate has chosen it. Change that delegate's sessions first.
       *[other] This session cannot be deleted: { $count } delegates have chosen it. Change their sessions first.
    }

## Country quotas

admin-quota-intro = Each country has a quota of places. When a quota is raised, the delegates of that country on the waiting list get the new places at once.
admin-quota-own = own quota
admin-quota-default = default quota
admin-quota-set = Set a country quota
admin-quota-capacity = Quota
admin-import-title = Import country quotas
admin-import-intro = One line per country: its code and its quota, separated by a comma, for example SN,25. A first line "country,capacity" is allowed. If any line is wrong, nothing is changed.
admin-import-file = CSV file
admin-import-lines = Or type the lines here
admin-import-submit = Import
admin-import-refused = Nothing was imported
admin-import-line = Line { $line }: { $problem }
admin-import-country = { $code } is not a country code.
admin-import-twice = This country is already on line { $first }.
admin-import-columns = Write a country code and a capacity, separated by a comma.
admin-import-empty = There is no line to import.
admin-import-both = Choose a file or type lines, not both.

## Registrations

admin-search = Search
admin-search-hint = Part of a name, an email address, a reference or an organisation.
admin-search-submit = Search
admin-any-status = Any status
admin-any-country = Any country
admin-any-session = Any session
admin-found =
    { $count ->
        [one] One registration
       *[other] { $count } registrations
    }
admin-found-more = More than { $count } registrations
admin-page-shown =
    { $count ->
        [one] One on this page
       *[other] { $count } on this page
    }
admin-export-csv = Export the attendee list (CSV)
admin-export-xlsx = Export the attendee list (Excel)
admin-export-sensitive = Excel, with sensitive answers
admin-column-reference = Reference
admin-column-name = Name
admin-column-email = Email
admin-column-country = Country
admin-column-organisation = Organisation
admin-column-status = Status
admin-column-registered = Registered on
admin-status-position = { $status } (position { $position })
admin-registration-title = Registration { $reference }: { $name }
admin-no-sessions = No session chosen.
admin-promote = Give a place now
admin-promote-hint = Gives this delegate a place ahead of the waiting list, if the meeting and the country quota both have a place free.
admin-promote-not-waiting = Only a delegate on the waiting list can be given a place.
admin-promote-event-full = The meeting is full: there is no place to give.
admin-promote-country-full = The quota of this delegate's country is full: raise it to give a place.
admin-promote-category-full = The places of this delegate's category are all taken: raise its capacity to give a place.
admin-approve-rejected = This registration was rejected: it can no longer be approved.
admin-approve-not-needed = This registration's category needs no approval.
admin-reject-confirmed = This registration is confirmed: cancel it instead.
admin-reject-not-pending = Only a registration awaiting a decision can be rejected; cancel this one instead.
error-reason-unknown = Choose one of the meeting's reasons.
error-pending-holds-fixed = Registrations await a decision: whether they hold their places can change once they are all decided.
error-approvals-invalid = Give a list of 1 to 500 registration ids.
error-rejection-reasons-invalid = Give a list of at most 20 reasons, each with a code and its texts.
error-reason-code-invalid = A reason's code is a lower-case letter, then letters, digits or underscores, and no other reason has it.
admin-resend = Send the last email again
admin-cancel = Cancel this registration
admin-cancel-confirm = I confirm: the delegate's places will go to the waiting lists.
admin-cancel-unconfirmed = Tick the confirmation box to cancel this registration.
admin-history = History
admin-column-when = When
admin-column-who = Who
admin-column-what = What
admin-column-detail = Detail
admin-action-cancel = Registration cancelled
admin-action-promote = Place given out of turn
admin-action-sessions = Sessions changed
admin-action-resend = Email sent again
admin-action-retry = Failed email retried

## Emails

admin-emails-count =
    { $count ->
        [one] One email
       *[other] { $count } emails
    }
admin-column-kind = Email
admin-column-recipient = To
admin-column-subject = Subject
admin-column-attempts = Attempts
admin-column-error = Last error
admin-email-confirmation = Confirmation
admin-email-waitlisted = Waiting list
admin-email-promoted = Place freed
admin-email-sessions-changed = Sessions changed
admin-email-cancelled = Cancellation
admin-email-resend = Copy
admin-email-pending = waiting to be sent
admin-email-sent = sent
admin-email-failed = failed
admin-email-next = next attempt: { $time }
admin-email-retry = Try again
admin-email-texts-intro = Each email can be written in your own words, in each language of the meeting. An email without your own wording uses the built-in one.
admin-email-text-own = your own wording
admin-email-text-built-in = built-in wording
admin-email-text-body = Text of the email
admin-email-text-placeholders = These placeholders, written with their braces, are replaced in each email:
admin-email-text-reset = Back to the built-in wording
error-placeholder-unknown = { $name } is not one of the known placeholders.
error-placeholder-unclosed = A { "{" } is not closed by a { "}" }.

## Questions

error-not-boolean = This field must be true or false.
error-question-code-invalid = A code is a lower-case letter, then up to 31 lower-case letters, digits or underscores.
error-category-code-invalid = A category code is a lower-case letter, then up to 31 lower-case letters, digits or underscores.
error-position-invalid = Give a whole number from { $min } to { $max }.
error-category-in-use = Registrations use this category already: it can no longer be removed or moved in or out of the quotas.
error-category-asked = The question “{ $code }” is asked of this category: take the category out of it first.
error-question-type-invalid = Choose one of these types: { $name }.
error-question-stage-invalid = Choose registration or after_approval.
error-choices-not-offered = Only single and multiple choice questions have choices.
error-too-many-choices = Offer at most { $max } choices.
error-choice-code-invalid = A choice code is a lower-case letter or digit, then up to 31 lower-case letters, digits, hyphens or underscores.
error-choice-repeated = This choice code is used twice.
error-choice-held = The choice { $code } is held by { $taken } registrations: keep it.
error-bounds-not-offered = Only number and date questions have a minimum and a maximum.
error-bounds-crossed = The maximum must not be below the minimum.
error-condition-question-invalid = A condition names an earlier yes/no or choice question.
error-choice-unknown-code = { $code } is not one of that question's answers.
error-question-is-condition = The question { $code } is asked only after this one: change its condition first.
error-question-has-answers = { $count } registrations answered this question. Delete with confirm=true to delete their answers too.

## Questions in the back office

admin-tab-questions = Questions
admin-question-new = New question
admin-question-edit-title = Question { $code }
admin-question-code = Code
admin-question-code-hint = A lower-case letter, then lower-case letters, digits or underscores, for example diet. It heads the export's column and cannot be changed later.
admin-question-code-taken = This meeting already asks a question with this code.
admin-question-type = Type of answer
admin-question-type-text = Short text
admin-question-type-long-text = Long text
admin-question-type-yes-no = Yes or no
admin-question-type-single-choice = One choice
admin-question-type-multiple-choice = Several choices
admin-question-type-number = Whole number
admin-question-type-date = Date
admin-question-type-country = Country
admin-question-type-file = File
admin-question-label = Question
admin-question-help = Help text
admin-question-required = An answer is required
admin-question-sensitive = Sensitive
admin-question-sensitive-hint = Sensitive answers are shown only to organisers, never to viewers, and left out of exports.
admin-question-position = Order
admin-question-position-hint = Questions are asked from the smallest number to the largest.
admin-question-stage = Asked
admin-question-stage-registration = on the registration form
admin-question-stage-after-approval = once the registration is confirmed, on the private page
admin-question-choices = Choices
admin-question-choices-hint = For the choice types only. Empty rows are left out; save to get more rows.
admin-question-choice = Choice { $position }
admin-question-choice-code = Code of the choice
admin-question-condition = Ask only if…
admin-question-condition-parent = this earlier question
admin-question-condition-none = (always ask)
admin-question-condition-words = was answered with one of
admin-question-condition-hint = Choice codes, or yes and no, separated by commas.
admin-question-min = Minimum
admin-question-max = Maximum
admin-question-bounds-hint = For a number, a whole number; for a date, YYYY-MM-DD. Leave empty for no limit.
admin-question-answers-until = Delegates may change the answer until
admin-question-answers-until-hint = In the event's time zone. After it, only organisers change the answer. Leave empty for no end.
admin-question-purge-days = Delete the answers, days after the event
admin-question-purge-days-hint = Rencontre deletes the answers (and files) this many days after the event's last day. Leave empty to keep them until the event is anonymised.
admin-question-answered = Answers
admin-question-answered-count = { $count } delegates answered.
admin-question-summary = Counts
admin-question-summary-title = Counts of { $code }
admin-question-count = Delegates
admin-question-by-country = By country
admin-question-counted-only = Only the number of answers is shown for this type of question.
admin-question-delete = Delete the question
admin-question-delete-hint = { $count } registrations answered this question; their answers are deleted with it.
admin-question-delete-confirm = Also delete the { $count } answers
admin-presets = Ready-made questions
admin-presets-hint = One click adds the question, worded in the meeting's languages, after the others; change it afterwards as you wish.
admin-preset-diet = Dietary requirements
admin-preset-accessibility = Accessibility needs
admin-preset-interpretation = Interpretation language
admin-preset-travel-dates = Arrival and departure dates
admin-preset-nationality = Passport nationality
admin-answers = Answers to the questions
admin-answers-change = Change the answers
admin-answers-save = Save the answers
admin-answer-hidden = Sensitive answer, shown to organisers only
admin-done-answers = The answers have been saved.
admin-action-answers = Answers changed
error-preset-unknown = Choose one of these presets: { $name }.
error-preset-code-taken = This meeting already asks a question with the code { $code }.

# Email-verified places
admin-event-verification = Hold each place until its email address is confirmed
admin-event-verification-hint = Every new delegate is emailed a link. A place given to an address nobody has confirmed is only held: unconfirmed in time, it goes to the next person waiting. Made-up addresses then cannot take a country’s places.
admin-event-verification-hours = Hours a place is held for its email address
admin-event-verification-hours-hint = From 1 to 720. Leave empty for 24.
admin-email-verification = New verification link
admin-email-approved = Approval
admin-email-rejected = Rejection
admin-promote-why = Why this delegate, ahead of the waiting list (kept in the log)
admin-promote-why-required = Say why this delegate gets a place ahead of the waiting list.
admin-status-held = { $status }: the place is held until { $time }
