## Back office (organisers): pages under /admin.
# El mismo glosario que main.ftl. Los argumentos llegan ya formateados, salvo
# $count, $taken, $line, $page, $pages y $position, que son números.

admin-site-title = Rencontre — espacio de organización
admin-logout = Cerrar sesión
admin-error-title = No se pudo hacer
admin-error-forbidden = No tiene permiso para hacer esto. Una cuenta de consulta puede leer y exportar, pero los cambios requieren una cuenta de organizador/a; si la suya lo es, puede que el formulario haya caducado: vuelva a cargar la página e inténtelo de nuevo.
admin-error-not-found = No hay nada en esta dirección. Vuelva a la lista y elija de nuevo.
admin-error-invalid = Algo en esta solicitud no es válido. Vuelva a la página e inténtelo de nuevo.
admin-error-cancelled = Esta inscripción está cancelada: ya no se puede modificar.
admin-form-expired = Este formulario ha caducado. Envíelo de nuevo.
admin-problems-title = Corrija lo siguiente
admin-refused-title = No se hizo
admin-save = Guardar
admin-none-yet = Nada por ahora.
admin-actions = Acciones
admin-page-of = Página { $page } de { $pages }

## Notices after an action

admin-done-saved = Sus cambios se han guardado.
admin-done-deleted = La sesión se ha eliminado.
admin-done-imported = Los cupos por país se han importado.
admin-done-cancelled = La inscripción se ha cancelado y se ha avisado al delegado o la delegada por correo electrónico.
admin-done-promoted = El delegado o la delegada ha recibido una plaza y se le ha avisado por correo electrónico.
admin-approvals-hint = Marque abajo las inscripciones que desea aceptar y acéptelas juntas: cada una ocupa la plaza siguiente, en el orden de la lista.
admin-approvals-submit = Aceptar las seleccionadas
admin-approvals-tick = Aceptar { $reference }
admin-column-category = Categoría
admin-decision = Decisión
admin-approve = Aceptar esta inscripción
admin-reject = Rechazar esta inscripción
admin-reject-reason = Motivo
admin-reject-note = Nota para la persona
admin-reject-note-hint = Opcional. Se escribe en el correo bajo el motivo, tal cual.
admin-done-approved = La inscripción ha sido aceptada y la persona avisada por correo.
admin-done-approved-many = Aceptadas: { $accepted }, cada persona avisada por correo. No aceptadas: { $refused } (ya decididas, canceladas o de otro evento).
admin-done-rejected = La inscripción ha sido rechazada y la persona avisada por correo, con el motivo.
admin-action-approve = Aceptada
admin-action-reject = Rechazada
admin-category-approval = Las inscripciones requieren la aceptación de la organización
admin-event-pending-holds = Una inscripción pendiente de aceptación conserva la plaza que recibió
admin-event-pending-holds-hint = Sin marcar, las inscripciones pendientes no ocupan plaza: aceptar una le da la próxima plaza, o la lista de espera.
admin-done-sessions = Las sesiones se han cambiado y se ha avisado al delegado o la delegada por correo electrónico.
admin-done-resent = El último correo electrónico se enviará de nuevo.
admin-done-retried = El correo electrónico se enviará de nuevo en breve.
admin-done-reset = Se volverá a usar el texto predeterminado.

## Login

admin-login-title = Acceso de organizadores
admin-password = Contraseña
admin-login-submit = Entrar
admin-login-failed = La dirección de correo electrónico o la contraseña no son correctas.
admin-login-too-many = Demasiados intentos fallidos. Espere hasta 15 minutos antes de volver a intentarlo.

## Events

admin-events-title = Encuentros
admin-events-none = Todavía no hay ningún encuentro.
admin-column-event = Encuentro
admin-column-dates = Fechas
admin-column-window = Inscripción
admin-window-open = abierta
admin-window-upcoming = aún no abierta
admin-window-closed = cerrada
admin-event-new-title = Nuevo encuentro
admin-event-edit-title = Ajustes del encuentro
admin-event-slug = Dirección web
admin-event-slug-hint = Letras minúsculas, cifras y guiones, por ejemplo dakar-2005. No se podrá cambiar después.
admin-event-slug-taken = Otro encuentro ya tiene esta dirección web.
admin-event-name = Nombre
admin-event-description = Descripción
admin-event-starts-on = Primer día
admin-event-ends-on = Último día
error-event-ends-invalid = Indique el último día, igual o posterior al primero.
error-date-invalid = Indique una fecha, por ejemplo 2027-11-22.
admin-event-timezone = Zona horaria
admin-event-timezone-hint = La zona horaria del encuentro, por ejemplo Africa/Dakar o America/Lima. Todas las horas de abajo están en esta zona.
error-timezone-invalid = Indique el nombre de una zona horaria como Africa/Dakar.
admin-event-languages = Idiomas del encuentro
error-languages-invalid = Elija al menos un idioma.
admin-event-languages-hint = El primer idioma marcado es el primer idioma del encuentro: sus textos sustituyen a cualquier texto que falte en otro idioma.
admin-event-opens = Apertura de la inscripción
admin-event-closes = Cierre de la inscripción
error-event-closes-invalid = Indique cuándo se cierra la inscripción, después de su apertura.
admin-times-hint = En la zona horaria del encuentro.
error-time-invalid = Indique una fecha y una hora.
admin-event-capacity = Aforo del encuentro
admin-capacity-hint = Déjelo vacío para no fijar ningún límite.
error-capacity-invalid = Indique un número entero igual o mayor que 0, o deje el campo vacío para no fijar ningún límite.
admin-event-default-quota = Cupo por país por defecto
admin-event-default-quota-hint = Las plazas de cada país que no tiene cupo propio. Déjelo vacío para no fijar ningún límite por país.
error-capacity-below-taken =
    { $taken ->
        [one] El aforo no puede ser inferior a la plaza ya ocupada.
       *[other] El aforo no puede ser inferior a las { $taken } plazas ya ocupadas.
    }
admin-translations = Otros idiomas
admin-translations-hint = Los textos de arriba están en el primer idioma del encuentro. Un idioma cuyo campo quede vacío los muestra en su lugar.
error-text-too-long = Use como máximo { $max } caracteres.
error-language-not-offered = Este no es uno de los idiomas del encuentro. Añada el idioma al encuentro o deje este campo vacío.

## An event's pages

admin-tab-dashboard = Resumen
admin-tab-registrations = Inscripciones
admin-tab-sessions = Sesiones
admin-tab-countries = Cupos por país
admin-tab-emails = Correos electrónicos
admin-tab-email-texts = Textos de los correos
admin-tab-settings = Ajustes
admin-whole-event = Todo el encuentro
admin-confirmed = Plazas ocupadas
admin-waiting = Lista de espera
admin-filled = Plazas ocupadas
admin-per-day = Inscripciones por día
admin-column-day = Día

## Sessions

admin-session-new = Nueva sesión
admin-session-edit-title = Sesión { $code }
admin-session-code = Código
admin-session-code-hint = Letras, cifras, guiones y guiones bajos, por ejemplo A3. No se podrá cambiar después.
admin-session-code-taken = Este encuentro ya tiene una sesión con este código.
admin-session-title = Título
admin-session-description = Descripción
admin-session-kind = Tipo
error-session-kind-invalid = Elija taller o plenaria.
admin-session-room = Sala
admin-session-starts = Comienzo
admin-session-ends = Fin
error-session-ends-invalid = Indique cuándo termina la sesión, después de su comienzo.
admin-session-capacity = Plazas
admin-session-delete = Eliminar esta sesión
admin-session-delete-hint = Solo se puede eliminar una sesión que ningún delegado ni delegada haya elegido.
admin-tab-categories = Categorías
admin-categories-intro = Delegados/as, observadores/as, ponentes, prensa, equipo… Cada categoría puede tener plazas propias; una categoría fuera de los cupos no ocupa ninguna plaza del encuentro ni de los países.
admin-categories-none = Ninguna categoría: todo el mundo se inscribe igual.
admin-category-code = Código
admin-category-code-hint = Una letra minúscula y luego letras, cifras o guiones bajos, por ejemplo observer. Nombra la categoría en la API y las exportaciones, y no puede cambiar.
admin-category-code-taken = Este encuentro ya tiene una categoría con este código.
admin-category-name = Nombre
admin-category-name-in = Nombre en { $name }
admin-category-capacity = Plazas propias
admin-category-position = Posición en el formulario
admin-category-counts = Sus plazas cuentan en los cupos
admin-category-counts-hint = Marcado, una plaza ocupa también una plaza de la capacidad del encuentro y del cupo del país. Queda fijo en cuanto alguien se inscribe en ella.
admin-category-public-label = Se ofrece en el formulario
admin-category-public-hint = Sin marcar, solo la organización la asigna (por invitación).
admin-category-quotas = Cupos
admin-category-in-quotas = Dentro de los cupos
admin-category-outside-quotas = Fuera de los cupos
admin-category-offered = Ofrecida
admin-category-public = En el formulario
admin-category-invitation = Por invitación
admin-category-waiting = En espera
admin-category-new = Nueva categoría
admin-category-edit-title = Categoría { $code }
admin-category-delete = Eliminar esta categoría
admin-category-delete-hint = Solo se puede eliminar una categoría en la que nadie se haya inscrito nunca.
admin-category-decide-first = Esta inscripción espera una decisión: acéptela o recházela primero.
admin-category-no-room = La nueva categoría no tiene plaza libre para esta persona: no se ha cambiado nada.
admin-category-change = Pasar a esta categoría
admin-done-category = La inscripción está en su nueva categoría.
admin-action-category = Categoría cambiada
admin-session-has-choices =
    { $count ->
        [one] Esta sesión no se puede eliminar: { $count } delegado/a la ha elegido. Cambie primero sus sesiones.
       *[other] Esta sesión no se puede eliminar: { $count } delegados/as la han elegido. Cambie primero sus sesiones.
    }

## Country quotas

admin-quota-intro = Cada país tiene un cupo de plazas. Cuando un cupo aumenta, los delegados y las delegadas de ese país en la lista de espera reciben enseguida las nuevas plazas.
admin-quota-own = cupo propio
admin-quota-default = cupo por defecto
admin-quota-set = Fijar el cupo de un país
admin-quota-capacity = Cupo
admin-import-title = Importar cupos por país
admin-import-intro = Una línea por país: su código y su cupo, separados por una coma, por ejemplo SN,25. Se admite una primera línea «country,capacity». Si alguna línea es incorrecta, no se cambia nada.
admin-import-file = Archivo CSV
admin-import-lines = O escriba las líneas aquí
admin-import-submit = Importar
admin-import-refused = No se importó nada
admin-import-line = Línea { $line }: { $problem }
admin-import-country = { $code } no es un código de país.
admin-import-twice = Este país ya figura en la línea { $first }.
admin-import-columns = Escriba un código de país y un aforo, separados por una coma.
admin-import-empty = No hay ninguna línea que importar.
admin-import-both = Elija un archivo o escriba líneas, no ambas cosas.

## Registrations

admin-search = Buscar
admin-search-hint = Parte de un nombre, una dirección de correo electrónico, una referencia o una organización.
admin-search-submit = Buscar
admin-any-status = Cualquier estado
admin-any-country = Cualquier país
admin-any-session = Cualquier sesión
admin-found =
    { $count ->
        [one] Una inscripción
       *[other] { $count } inscripciones
    }
admin-found-more = Más de { $count } inscripciones
admin-page-shown =
    { $count ->
        [one] Una en esta página
       *[other] { $count } en esta página
    }
admin-export-csv = Exportar la lista de participantes (CSV)
admin-export-xlsx = Exportar la lista de participantes (Excel)
admin-export-sensitive = Excel, con las respuestas sensibles
admin-column-reference = Referencia
admin-column-name = Nombre
admin-column-email = Correo electrónico
admin-column-country = País
admin-column-organisation = Organización
admin-column-status = Estado
admin-column-registered = Inscripción el
admin-status-position = { $status } (puesto { $position })
admin-registration-title = Inscripción { $reference }: { $name }
admin-no-sessions = Ninguna sesión elegida.
admin-promote = Dar una plaza ahora
admin-promote-hint = Da una plaza a este delegado o esta delegada antes de su turno en la lista de espera, si el encuentro y el cupo del país tienen ambos una plaza libre.
admin-promote-not-waiting = Solo un delegado o una delegada en la lista de espera puede recibir una plaza.
admin-promote-event-full = El encuentro está completo: no hay ninguna plaza que dar.
admin-promote-country-full = El cupo del país de este delegado o esta delegada está completo: auméntelo para dar una plaza.
admin-promote-category-full = Las plazas de la categoría de este delegado o esta delegada están todas ocupadas: aumente su capacidad para dar una plaza.
admin-approve-rejected = Esta inscripción fue rechazada: ya no puede aceptarse.
admin-approve-not-needed = La categoría de esta inscripción no requiere aceptación.
admin-reject-confirmed = Esta inscripción está confirmada: cancélela en su lugar.
admin-reject-not-pending = Solo se puede rechazar una inscripción pendiente de decisión; cancele esta en su lugar.
error-reason-unknown = Elija uno de los motivos del encuentro.
error-pending-holds-fixed = Hay inscripciones pendientes de decisión: si conservan su plaza podrá cambiar cuando todas estén decididas.
error-approvals-invalid = Indique una lista de 1 a 500 identificadores de inscripción.
error-rejection-reasons-invalid = Indique una lista de 20 motivos como máximo, cada uno con un código y sus textos.
error-reason-code-invalid = El código de un motivo es una letra minúscula y luego letras, cifras o guiones bajos, y ningún otro motivo lo tiene.
admin-resend = Volver a enviar el último correo electrónico
admin-cancel = Cancelar esta inscripción
admin-cancel-confirm = Confirmo: las plazas del delegado o la delegada pasarán a las listas de espera.
admin-cancel-unconfirmed = Marque la casilla de confirmación para cancelar esta inscripción.
admin-history = Historial
admin-column-when = Cuándo
admin-column-who = Quién
admin-column-what = Qué
admin-column-detail = Detalle
admin-action-cancel = Inscripción cancelada
admin-action-promote = Plaza dada antes de turno
admin-action-sessions = Sesiones cambiadas
admin-action-resend = Correo electrónico reenviado
admin-action-retry = Nuevo intento de un correo electrónico fallido

## Emails

admin-emails-count =
    { $count ->
        [one] Un correo electrónico
       *[other] { $count } correos electrónicos
    }
admin-column-kind = Correo electrónico
admin-column-recipient = Destinatario
admin-column-subject = Asunto
admin-column-attempts = Intentos
admin-column-error = Último error
admin-email-confirmation = Confirmación
admin-email-waitlisted = Lista de espera
admin-email-promoted = Plaza liberada
admin-email-sessions-changed = Sesiones cambiadas
admin-email-cancelled = Cancelación
admin-email-resend = Copia
admin-email-pending = pendiente de envío
admin-email-sent = enviado
admin-email-failed = fallido
admin-email-next = próximo intento: { $time }
admin-email-retry = Reintentar
admin-email-texts-intro = Cada correo electrónico puede redactarse con sus propias palabras, en cada idioma del encuentro. Un correo sin texto propio usa el texto predeterminado.
admin-email-text-own = su propio texto
admin-email-text-built-in = texto predeterminado
admin-email-text-body = Texto del correo
admin-email-text-placeholders = Estas variables, escritas con sus llaves, se sustituyen en cada correo:
admin-email-text-reset = Volver al texto predeterminado
error-placeholder-unknown = { $name } no es una de las variables conocidas.
error-placeholder-unclosed = Una llave { "{" } no está cerrada con { "}" }.

## Preguntas

error-not-boolean = Este campo debe ser true o false.
error-question-code-invalid = Un código es una letra minúscula, seguida de hasta 31 letras minúsculas, cifras o guiones bajos.
error-category-code-invalid = Un código de categoría es una letra minúscula y luego hasta 31 letras minúsculas, cifras o guiones bajos.
error-position-invalid = Indique un número entero de { $min } a { $max }.
error-category-in-use = Ya hay inscripciones en esta categoría: ya no puede eliminarse ni entrar o salir de los cupos.
error-category-asked = La pregunta «{ $code }» se hace a esta categoría: quítela primero de la pregunta.
error-question-type-invalid = Elija uno de estos tipos: { $name }.
error-question-stage-invalid = Elija registration o after_approval.
error-choices-not-offered = Solo las preguntas de opción única o múltiple tienen opciones.
error-too-many-choices = Ofrezca como máximo { $max } opciones.
error-choice-code-invalid = Un código de opción es una letra minúscula o una cifra, seguida de hasta 31 letras minúsculas, cifras, guiones o guiones bajos.
error-choice-repeated = Este código de opción aparece dos veces.
error-choice-held = La opción { $code } la tienen { $taken } inscripciones: consérvela.
error-bounds-not-offered = Solo las preguntas de número y de fecha tienen un mínimo y un máximo.
error-bounds-crossed = El máximo no debe ser inferior al mínimo.
error-condition-question-invalid = Una condición nombra una pregunta anterior de sí/no o de opciones.
error-choice-unknown-code = { $code } no es una de las respuestas de esa pregunta.
error-question-is-condition = La pregunta { $code } solo se hace después de esta: cambie primero su condición.
error-question-has-answers = { $count } inscripciones respondieron a esta pregunta. Elimínela con confirm=true para eliminar también sus respuestas.

## Questions in the back office

admin-tab-questions = Preguntas
admin-question-new = Nueva pregunta
admin-question-edit-title = Pregunta { $code }
admin-question-code = Código
admin-question-code-hint = Una letra minúscula y luego letras minúsculas, cifras o guiones bajos, por ejemplo dieta. Encabeza la columna de la exportación y no podrá cambiarse después.
admin-question-code-taken = Este encuentro ya hace una pregunta con este código.
admin-question-type = Tipo de respuesta
admin-question-type-text = Texto corto
admin-question-type-long-text = Texto largo
admin-question-type-yes-no = Sí o no
admin-question-type-single-choice = Una sola opción
admin-question-type-multiple-choice = Varias opciones
admin-question-type-number = Número entero
admin-question-type-date = Fecha
admin-question-type-country = País
admin-question-type-file = Archivo
admin-question-label = Pregunta
admin-question-help = Texto de ayuda
admin-question-required = Respuesta obligatoria
admin-question-sensitive = Sensible
admin-question-sensitive-hint = Las respuestas sensibles solo se muestran al equipo organizador, nunca a quien solo consulta, y quedan fuera de las exportaciones.
admin-question-position = Orden
admin-question-position-hint = Las preguntas se hacen del número más pequeño al más grande.
admin-question-stage = Se pregunta
admin-question-stage-registration = en el formulario de inscripción
admin-question-stage-after-approval = una vez confirmada la inscripción, en la página personal
admin-question-choices = Opciones
admin-question-choices-hint = Solo para los tipos de opciones. Las filas vacías se omiten; guarde para obtener más filas.
admin-question-choice = Opción { $position }
admin-question-choice-code = Código de la opción
admin-question-condition = Preguntar solo si…
admin-question-condition-parent = esta pregunta anterior
admin-question-condition-none = (preguntar siempre)
admin-question-condition-words = se respondió con una de estas
admin-question-condition-hint = Códigos de opción, o yes y no, separados por comas.
admin-question-min = Mínimo
admin-question-max = Máximo
admin-question-bounds-hint = Para un número, un número entero; para una fecha, AAAA-MM-DD. Déjelo vacío para no fijar ningún límite.
admin-question-answers-until = Los delegados pueden cambiar la respuesta hasta
admin-question-answers-until-hint = En la zona horaria del evento. Después, solo el equipo organizador cambia la respuesta. Déjelo vacío para no fijar ningún final.
admin-question-purge-days = Borrar las respuestas, días después del evento
admin-question-purge-days-hint = Rencontre borra las respuestas (y los archivos) este número de días después del último día del evento. Déjelo vacío para conservarlas hasta que el evento se anonimice.
admin-question-answered = Respuestas
admin-question-answered-count = { $count } delegados y delegadas respondieron.
admin-question-summary = Recuento
admin-question-summary-title = Recuento de { $code }
admin-question-count = Delegados y delegadas
admin-question-by-country = Por país
admin-question-counted-only = Para este tipo de pregunta solo se muestra el número de respuestas.
admin-question-delete = Eliminar la pregunta
admin-question-delete-hint = { $count } inscripciones respondieron a esta pregunta; sus respuestas se eliminan con ella.
admin-question-delete-confirm = Eliminar también las { $count } respuestas
admin-presets = Preguntas listas para usar
admin-presets-hint = Un clic añade la pregunta, redactada en los idiomas del encuentro, después de las demás; luego puede cambiarla como quiera.
admin-preset-diet = Régimen alimentario
admin-preset-accessibility = Necesidades de accesibilidad
admin-preset-interpretation = Idioma de interpretación
admin-preset-travel-dates = Fechas de llegada y salida
admin-preset-nationality = Nacionalidad del pasaporte
admin-answers = Respuestas a las preguntas
admin-answers-change = Cambiar las respuestas
admin-answers-save = Guardar las respuestas
admin-answer-hidden = Respuesta sensible, visible solo para el equipo organizador
admin-done-answers = Las respuestas se han guardado.
admin-action-answers = Respuestas cambiadas
error-preset-unknown = Elija una de estas preguntas listas: { $name }.
error-preset-code-taken = Este encuentro ya hace una pregunta con el código { $code }.

# Email-verified places
admin-event-verification = Reservar cada plaza hasta que se confirme su correo electrónico
admin-event-verification-hint = Cada nueva persona inscrita recibe un enlace por correo. Una plaza dada a una dirección que nadie ha confirmado solo queda reservada: sin confirmación a tiempo, pasa a la siguiente persona en espera. Así, direcciones inventadas no pueden ocupar las plazas de un país.
admin-event-verification-hours = Horas de reserva de una plaza para su correo electrónico
admin-event-verification-hours-hint = De 1 a 720. Déjelo vacío para 24.
admin-email-verification = Nuevo enlace de confirmación
admin-email-approved = Aceptación
admin-email-rejected = Rechazo
admin-promote-why = Por qué esta persona, antes de la lista de espera (se guarda en el registro)
admin-promote-why-required = Diga por qué esta persona recibe una plaza antes de la lista de espera.
admin-status-held = { $status }: la plaza está reservada hasta el { $time }
