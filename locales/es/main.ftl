# Lo que Rencontre dice a los delegados y delegadas (páginas, correos, errores de la API), en español.
# Vocabulario del glosario del proyecto; trato de usted en todo el texto.
# Cada identificador existe también en en, fr y pt (lo comprueban los tests de src/i18n).
# Los argumentos llegan ya formateados, salvo $count, $max y $position, que
# son números para los selectores de plural.

## Sitio

site-title = Rencontre
skip-to-content = Ir al contenido principal
language-switcher-label = Idioma
footer-text = Rencontre: inscripción en encuentros internacionales.

## Página de inicio

home-title = Encuentros abiertos
home-intro = Elija un encuentro para ver su programa y las plazas que quedan, e inscribirse como delegado/a.
home-none-open = En este momento no hay ningún encuentro con la inscripción abierta.
event-dates = Del { $start } al { $end }
event-register-link = Inscribirse
event-details-link = Detalles del encuentro

## Página del encuentro

event-places-left =
    { $count ->
        [one] Queda { $count } plaza
       *[other] Quedan { $count } plazas
    }
event-full = Completo
event-unlimited = Sin límite
event-capacity-heading = Aforo
event-sessions-heading = Sesiones
event-countries-heading = Cupos por país
event-country-quota-note = Cada país tiene un cupo de plazas, para que ninguna delegación ocupe todas las plazas. Si el cupo de su país está completo, su inscripción pasa a la lista de espera.
event-registration-window = Inscripción: del { $opens } al { $closes }
registration-closed = La inscripción está cerrada
session-kind-plenary = Plenaria
session-kind-workshop = Taller
session-room = Sala: { $room }
table-country = País
table-capacity = Aforo
table-remaining = Plazas restantes
table-session = Sesión
table-time = Horario

## Formulario de inscripción

form-title = Inscripción: { $event }
form-intro = Complete este formulario para inscribirse como delegado/a. Recibirá por correo electrónico una confirmación con su enlace personal.
field-given-name = Nombre
field-family-name = Apellidos
field-family-name-hint = Deje este campo vacío si solo tiene un nombre.
field-email = Correo electrónico
field-email-hint = Enviaremos a esta dirección su confirmación y su enlace personal.
field-country = País
field-country-choose = Elija un país
field-category = Me inscribo como
field-organisation = Organización
field-organisation-hint = La organización, el movimiento o la red que representa, si corresponde.
field-language = Idioma
field-language-hint = El idioma de los correos que le enviaremos.
field-sessions = Sesiones
field-sessions-hint = No puede elegir dos sesiones que se celebren al mismo tiempo.
session-full-waitlist = Completo: quedará en la lista de espera
form-submit = Inscribirse
form-errors-title =
    { $count ->
        [one] Hay un problema en su inscripción
       *[other] Hay { $count } problemas en su inscripción
    }
form-required-note = Todos los campos son obligatorios, salvo los marcados como opcionales.
optional = (opcional)

## Errores

error-required = Este campo es obligatorio.
error-too-long = Use como máximo { $max } caracteres.
error-invalid-character = Este campo contiene un carácter no permitido: un carácter invisible, de control o de dirección del texto (un espacio de ancho cero, por ejemplo). Vuelva a escribirlo sin copiarlo de otro lugar.
error-line-break = Escriba esto en una sola línea.
error-too-many-marks = Este campo tiene más acentos o signos de los que necesita un nombre. Vuelva a escribirlo.
error-email-invalid = Escriba una dirección de correo electrónico válida, por ejemplo nombre@example.org.
error-country-invalid = Elija un país de la lista.
error-language-invalid = Elija uno de los idiomas que ofrece este encuentro.
error-session-code-invalid = Un código de sesión solo puede contener letras, cifras, guiones y guiones bajos.
error-slug-invalid = La dirección web de un encuentro solo puede contener letras minúsculas, cifras y guiones, y no puede empezar ni terminar con un guion.
error-session-unknown = Este encuentro no tiene ninguna sesión { $code }.
error-sessions-overlap = Las sesiones { $first } y { $second } se celebran al mismo tiempo: elija solo una.
error-too-many-sessions = Elija como máximo { $max } sesiones.
error-duplicate = Esta dirección de correo electrónico ya está inscrita en este encuentro. Use su enlace personal, enviado en el correo de confirmación, para ver o modificar su inscripción.
error-registration-closed = La inscripción en este encuentro está cerrada.
error-csrf = Este formulario ha caducado. Envíelo de nuevo, por favor.
error-not-found-title = Página no encontrada
error-not-found-text = Compruebe la dirección. Si ha seguido su enlace personal, cópielo completo desde su correo de confirmación.
error-server-title = Se ha producido un error
error-server-text = Vuelva a intentarlo dentro de unos minutos. Si se estaba inscribiendo, revise primero su correo: si ha recibido una confirmación, su inscripción está registrada.
error-busy = Hay demasiadas solicitudes en este momento. Vuelva a intentarlo en un instante.
error-too-large = Lo que ha enviado es demasiado largo para ser aceptado. Acorte las respuestas más largas y envíe de nuevo el formulario.

## Página de confirmación

confirm-title-confirmed = Su inscripción está confirmada
confirm-title-waitlisted = Está en la lista de espera
confirm-reference = Su referencia: { $reference }
confirm-waitlist-position = Ocupa el puesto { $position } en la lista de espera.
confirm-email-sent = Le estamos enviando un correo de confirmación a { $email }.
confirm-private-link = Su enlace personal: consérvelo, le permite ver, modificar o cancelar su inscripción.
confirm-open-private-page = Abrir la página de su inscripción

## Página personal

manage-title = Su inscripción
manage-status = Estado: { $status }
status-confirmed = confirmada
status-waitlisted = en lista de espera
status-cancelled = cancelada
manage-delegate = Delegado/a
manage-sessions-heading = Sus sesiones
manage-session-status-confirmed = Plaza confirmada
manage-session-status-waitlisted = En lista de espera
manage-no-sessions = No ha elegido ninguna sesión.
manage-change-sessions = Cambiar sus sesiones
manage-save-sessions = Guardar las sesiones
manage-sessions-saved = Sus sesiones se han guardado.
manage-cancel-heading = Cancelar su inscripción
manage-cancel-warning = Si cancela, su plaza pasará a la siguiente persona de la lista de espera. Esta acción no se puede deshacer.
manage-cancel-button = Cancelar la inscripción
manage-cancel-confirm-title = ¿Cancelar su inscripción?
manage-cancel-confirm-text = Su inscripción y todas sus sesiones se cancelarán, y sus plazas pasarán a las siguientes personas de las listas de espera. Esta acción no se puede deshacer.
manage-cancel-confirm-button = Sí, cancelar mi inscripción
manage-cancel-back = No, mantener mi inscripción
manage-cancelled-notice = Su inscripción ha sido cancelada.
manage-print = Imprimir esta página
manage-download-data = Descargar sus datos (JSON)

## Errores de la API JSON

error-json-object = El cuerpo de la solicitud debe ser un objeto JSON.
error-unknown-field = Este campo es desconocido.
error-not-text = Este campo debe ser un texto.
error-not-text-list = Este campo debe ser una lista de textos.
error-unreadable = No se puede leer: { $problem }
error-unchangeable = Esto no se puede cambiar: sigue siendo { $code }.
error-reference-prefix-invalid = Use de 2 a 5 letras.
error-not-text-map = Este campo debe ser un objeto de textos por código de idioma.
error-email-kind-invalid = Elija uno de estos tipos de correo: { $name }.
error-page-invalid = Elija una página entre 1 y la última.
error-per-page-invalid = Elija de 1 a { $max } filas por página.
error-idempotency-key-invalid = Una Idempotency-Key tiene de 1 a 255 caracteres ASCII visibles.
error-idempotency-key-reused = Esta Idempotency-Key ya se usó para otra solicitud.
error-status-invalid = «{ $status }» no es confirmed, waitlisted ni cancelled.
error-country-code-invalid = «{ $code }» no es un código de país ISO 3166-1 alfa-2.
error-cursor-malformed = Este cursor no lo dio este servidor.
error-cursor-other-event = Este cursor pertenece a la lista de otro encuentro.
error-cursor-other-order = Este cursor pertenece a la lista en otro orden.
error-cursor-other-search = Este cursor pertenece a una lista con búsqueda, o sin ella, al contrario que esta.
error-cursor-with-page = Un cursor no se da con una página: siga next.
error-cursor-both-ways = Indique un cursor en after o en before, no en ambos.
error-answer-filter-unknown = Este evento no tiene ninguna pregunta con el código { $code }.
error-answer-filter-sensitive = Las respuestas a una pregunta sensible no pueden filtrar la lista.
error-answer-filter-kind = Solo las preguntas de sí/no y de opciones pueden filtrar la lista.
error-answer-filter-word = Elija una de estas opciones: { $name }.
error-sort-invalid = Elija uno de estos órdenes: { $name }, o ninguno.

## Correos electrónicos

email-subject-confirmation = { $event }: su inscripción está confirmada
email-subject-waitlisted = { $event }: está en la lista de espera
email-subject-promoted = { $event }: se ha liberado una plaza para usted
email-subject-sessions_changed = { $event }: sus sesiones se han guardado
email-subject-cancelled = { $event }: su inscripción ha sido cancelada
email-subject-resend = { $event }: su inscripción
email-greeting = Estimado/a { $name }:
email-lead-confirmation = Gracias por inscribirse. Su inscripción está confirmada y será un placer recibirle.
email-lead-waitlisted = Gracias por inscribirse. Por el momento no quedan plazas, así que su inscripción está en la lista de espera. Le escribiremos en cuanto se libere una plaza para usted.
email-lead-promoted = Buenas noticias: se ha liberado una plaza para usted. Esta es su inscripción tal como queda ahora.
email-lead-sessions_changed = Su elección de sesiones se ha guardado. Esta es su inscripción tal como queda ahora.
email-lead-cancelled = Su inscripción ha sido cancelada. Si cambia de opinión, puede volver a inscribirse mientras la inscripción esté abierta.
email-lead-resend = Como ha solicitado, le enviamos de nuevo los datos de su inscripción.
email-private-link-earlier = Su enlace personal, incluido en el correo que le enviamos al inscribirse, le permite ver, modificar o cancelar su inscripción.
email-signature = El equipo organizador

## Preguntas de los organizadores

error-question-unknown = Este encuentro no hace esta pregunta.
error-question-after-approval = Esta pregunta se hace una vez confirmada su inscripción.
error-answer-yes-no = Responda sí o no.
error-choice-unknown = Elija una de las respuestas propuestas.
error-choices-not-list = Elija respuestas de la lista.
error-answer-number = Escriba un número entero.
error-answer-below-min = Escriba un número de al menos { $min }.
error-answer-above-max = Escriba un número de como máximo { $max }.
error-answer-date = Escriba una fecha, por ejemplo 2027-11-22.
error-answer-date-before = Escriba una fecha a partir del { $min }.
error-answer-date-after = Escriba una fecha hasta el { $max }.
error-choice-full = Esta opción está completa: elija otra.
error-category-unknown = Elija una de las categorías propuestas.
error-answer-closed = Esta respuesta ya no se puede cambiar: las respuestas se cerraron el { $time }. Escriba al equipo organizador.
error-purge-days-invalid = Indique un número entero de días de 0 a { $max }, o déjelo vacío.
manage-answers-closed = Cerrada el { $time }: escriba al equipo organizador para cambiarla.
answer-yes = Sí
answer-no = No
answer-choice-full = (completo)
answer-only-if = Responda solo si contestó «{ $question }» con: { $answers }.
answer-only-for = Solo para: { $categories }.
manage-change-answers = Cambiar sus respuestas
manage-save-answers = Guardar las respuestas
manage-answers-saved = Sus respuestas se han guardado.
error-answer-file = Envíe un archivo: un PDF, un JPEG o un PNG.
error-file-empty = Este archivo está vacío: elija otro.
error-file-too-big = Este archivo es demasiado grande: envíe uno de { $max } como máximo.
error-file-type = Envíe un PDF, un JPEG o un PNG: este archivo no es ninguno de ellos.
error-file-unknown = Este archivo no se envió con esta inscripción: envíelo de nuevo.
error-question-not-file = Esta pregunta no admite un archivo.
answer-file-kinds = Un archivo PDF, JPEG o PNG, de { $max } como máximo.
answer-file-again = Elija de nuevo el archivo: no se ha conservado.
answer-file-current = Descargar el archivo enviado

# Email-verified places
status-unverified = pendiente de confirmar el correo electrónico
confirm-title-unverified = Revise su correo para conservar su plaza
email-subject-unverified = { $event }: confirme su correo electrónico para conservar su plaza
email-lead-unverified = Gracias por inscribirse. Le reservamos una plaza: confirme su correo electrónico para conservarla.
email-verify-hold = Confirme su correo electrónico antes del { $time } para conservar su plaza: abra este enlace y pulse el botón.
email-verify-waiting = Confirme ahora su correo electrónico con este enlace: cuando se libere una plaza para usted, solo se reserva poco tiempo a una dirección que nadie ha confirmado.
email-verify-earlier = Confirme su correo electrónico antes del { $time } para conservar esta plaza, con el enlace del primer correo que le enviamos.
error-verification-invalid = Elija «none» o «email».
error-verification-hours-invalid = Indique un número entero de horas de { $min } a { $max }.
verify-title = Confirme su correo electrónico
verify-lead = Pulse el botón para confirmar su correo electrónico para { $event }.
verify-button = Confirmar mi correo electrónico
verify-done-confirmed = Gracias: su correo electrónico está confirmado, y su plaza también.
verify-done-waiting = Gracias: su correo electrónico está confirmado. Conserva su turno en la lista de espera.
verify-already = Su correo electrónico ya estaba confirmado.
verify-cancelled = Esta inscripción está cancelada: su plaza estaba reservada hasta un plazo que ya pasó. Puede inscribirse de nuevo mientras la inscripción esté abierta.
verify-unknown = Este enlace no es válido, o ya no lo es.
manage-verify-by = Su plaza está reservada hasta el { $time }: confirme su correo electrónico con el enlace que le enviamos, o pasará a la siguiente persona en espera.
email-subject-verification = { $event }: su enlace para confirmar su correo electrónico
email-lead-verification = Como lo pidió, aquí tiene un nuevo enlace para confirmar su correo electrónico. Los enlaces de correos anteriores ya no funcionan.
verify-again-title = Recibir un nuevo enlace de confirmación
verify-again-lead = ¿Se inscribió en { $event } pero no encuentra el enlace para confirmar su correo electrónico? Indique la dirección con la que se inscribió.
verify-again-email = Su correo electrónico
verify-again-button = Enviarme un nuevo enlace
verify-again-sent = Si una inscripción a este encuentro espera la confirmación de esta dirección, se le envía un nuevo enlace. Solo se envía un enlace cada 10 minutos.
verify-again-link = ¿Ya inscrito, pero sin enlace de confirmación? Reciba uno nuevo.

# Approval
status-pending = pendiente de la decisión de la organización
status-rejected = no aceptada
confirm-title-pending = Su inscripción espera la decisión de la organización
verify-done-pending = Gracias: su dirección de correo está confirmada. La organización decidirá ahora sobre su inscripción y le escribiremos.
email-subject-pending = { $event }: hemos recibido su inscripción
email-lead-pending = Gracias por inscribirse. La organización examina cada inscripción de esta categoría y le escribirá con su decisión.
email-subject-approved = { $event }: su inscripción ha sido aceptada
email-lead-approved = Buenas noticias: la organización ha aceptado su inscripción.
email-subject-rejected = { $event }: su inscripción
email-lead-rejected = Lo sentimos: la organización no ha podido aceptar su inscripción.
email-rejection-reason = Motivo: { $reason }
rejection-reason-other = otro motivo
rejection-reason-incomplete = la inscripción está incompleta
rejection-reason-not-eligible = la inscripción no cumple las condiciones de esta categoría
rejection-reason-no-place = no quedan plazas en esta categoría
