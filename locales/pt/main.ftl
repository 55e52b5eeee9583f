# O que o Rencontre diz aos delegados e delegadas (páginas, e-mails, erros da API), em português.
# Vocabulário do glossário do projeto; tratamento por "você" em tom formal.
# Cada identificador existe também em en, fr e es (os testes de src/i18n verificam).
# Os argumentos chegam já formatados, exceto $count, $max e $position, que
# são números para os seletores de plural.

## Site

site-title = Rencontre
skip-to-content = Ir para o conteúdo principal
language-switcher-label = Idioma
footer-text = Rencontre: inscrições em encontros internacionais.

## Página inicial

home-title = Encontros abertos
home-intro = Escolha um encontro para ver a programação e as vagas restantes e para se inscrever como delegado/a.
home-none-open = No momento, nenhum encontro está com inscrições abertas.
event-dates = De { $start } a { $end }
event-register-link = Inscrever-se
event-details-link = Detalhes do encontro

## Página do encontro

# A regra CLDR do português põe o 0 em [one]; "Resta 0 vaga" soaria errado.
event-places-left =
    { $count ->
        [0] Restam 0 vagas
        [one] Resta { $count } vaga
       *[other] Restam { $count } vagas
    }
event-full = Esgotado
event-unlimited = Sem limite
event-capacity-heading = Capacidade
event-sessions-heading = Sessões
event-countries-heading = Cotas por país
event-country-quota-note = Cada país tem uma cota de vagas, para que nenhuma delegação ocupe todas as vagas. Se a cota do seu país estiver esgotada, sua inscrição vai para a lista de espera.
event-registration-window = Inscrições: de { $opens } a { $closes }
registration-closed = As inscrições estão encerradas
session-kind-plenary = Plenária
session-kind-workshop = Oficina
session-room = Sala: { $room }
table-country = País
table-capacity = Capacidade
table-remaining = Vagas restantes
table-session = Sessão
table-time = Horário

## Formulário de inscrição

form-title = Inscrição: { $event }
form-intro = Preencha este formulário para se inscrever como delegado/a. Você receberá por e-mail uma confirmação com seu link pessoal.
field-given-name = Nome
field-family-name = Sobrenome
field-family-name-hint = Deixe este campo em branco se você tiver apenas um nome.
field-email = E-mail
field-email-hint = Enviaremos para este endereço sua confirmação e seu link pessoal.
field-country = País
field-country-choose = Escolha um país
field-category = Inscrevo-me como
field-organisation = Organização
field-organisation-hint = A organização, o movimento ou a rede que você representa, se houver.
field-language = Idioma
field-language-hint = O idioma dos e-mails que enviaremos a você.
field-sessions = Sessões
field-sessions-hint = Você não pode escolher duas sessões que aconteçam ao mesmo tempo.
session-full-waitlist = Esgotado: você ficará na lista de espera
form-submit = Inscrever-se
form-errors-title =
    { $count ->
        [one] Há um problema na sua inscrição
       *[other] Há { $count } problemas na sua inscrição
    }
form-required-note = Todos os campos são obrigatórios, exceto os marcados como opcionais.
optional = (opcional)

## Erros

error-required = Este campo é obrigatório.
error-too-long = Use no máximo { $max } caracteres.
error-invalid-character = Este campo contém um caractere não permitido: um caractere invisível, de controle ou de direção do texto (um espaço de largura zero, por exemplo). Digite-o novamente sem copiá-lo de outro lugar.
error-line-break = Escreva isto em uma só linha.
error-too-many-marks = Este campo tem mais acentos ou sinais do que um nome precisa. Digite-o novamente.
error-email-invalid = Informe um endereço de e-mail válido, por exemplo nome@example.org.
error-country-invalid = Escolha um país da lista.
error-language-invalid = Escolha um dos idiomas oferecidos para este encontro.
error-session-code-invalid = Um código de sessão só pode conter letras, algarismos, hifens e sublinhados.
error-slug-invalid = O endereço web de um encontro só pode conter letras minúsculas, algarismos e hifens, e não pode começar nem terminar com hífen.
error-session-unknown = Este encontro não tem a sessão { $code }.
error-sessions-overlap = As sessões { $first } e { $second } acontecem ao mesmo tempo: escolha apenas uma.
error-too-many-sessions = Escolha no máximo { $max } sessões.
error-duplicate = Este endereço de e-mail já está inscrito neste encontro. Use seu link pessoal, enviado no e-mail de confirmação, para ver ou alterar sua inscrição.
error-registration-closed = As inscrições para este encontro estão encerradas.
error-csrf = Este formulário expirou. Envie-o novamente, por favor.
error-not-found-title = Página não encontrada
error-not-found-text = Verifique o endereço. Se você seguiu seu link pessoal, copie-o por inteiro do seu e-mail de confirmação.
error-server-title = Ocorreu um erro
error-server-text = Tente novamente em alguns minutos. Se você estava se inscrevendo, verifique primeiro seu e-mail: se recebeu uma confirmação, sua inscrição está registrada.
error-busy = Há muitas solicitações no momento. Tente novamente em instantes.
error-too-large = O que você enviou é longo demais para ser aceito. Encurte as respostas mais longas e envie o formulário novamente.

## Página de confirmação

confirm-title-confirmed = Sua inscrição está confirmada
confirm-title-waitlisted = Você está na lista de espera
confirm-reference = Sua referência: { $reference }
confirm-waitlist-position = Você está na posição { $position } na lista de espera.
confirm-email-sent = Estamos enviando um e-mail de confirmação para { $email }.
confirm-private-link = Seu link pessoal: guarde-o, ele permite ver, alterar ou cancelar sua inscrição.
confirm-open-private-page = Abrir a página da sua inscrição

## Página pessoal

manage-title = Sua inscrição
manage-status = Situação: { $status }
status-confirmed = confirmada
status-waitlisted = na lista de espera
status-cancelled = cancelada
manage-delegate = Delegado/a
manage-sessions-heading = Suas sessões
manage-session-status-confirmed = Vaga confirmada
manage-session-status-waitlisted = Na lista de espera
manage-no-sessions = Você não escolheu nenhuma sessão.
manage-change-sessions = Alterar suas sessões
manage-save-sessions = Salvar as sessões
manage-sessions-saved = Suas sessões foram salvas.
manage-cancel-heading = Cancelar sua inscrição
manage-cancel-warning = Se você cancelar, sua vaga passará para a próxima pessoa da lista de espera. Esta ação não pode ser desfeita.
manage-cancel-button = Cancelar a inscrição
manage-cancel-confirm-title = Cancelar sua inscrição?
manage-cancel-confirm-text = Sua inscrição e todas as suas sessões serão canceladas, e suas vagas passarão para as próximas pessoas das listas de espera. Esta ação não pode ser desfeita.
manage-cancel-confirm-button = Sim, cancelar minha inscrição
manage-cancel-back = Não, manter minha inscrição
manage-cancelled-notice = Sua inscrição foi cancelada.
manage-print = Imprimir esta página
manage-download-data = Baixar seus dados (JSON)

## Erros da API JSON

error-json-object = O corpo da requisição deve ser um objeto JSON.
error-unknown-field = Este campo é desconhecido.
error-not-text = Este campo deve ser um texto.
error-not-text-list = Este campo deve ser uma lista de textos.
error-unreadable = Não é possível ler: { $problem }
error-unchangeable = Isto não pode ser alterado: continua { $code }.
error-reference-prefix-invalid = Use de 2 a 5 letras.
error-not-text-map = Este campo deve ser um objeto de textos por código de idioma.
error-email-kind-invalid = Escolha um destes tipos de e-mail: { $name }.
error-page-invalid = Escolha uma página entre 1 e a última.
error-per-page-invalid = Escolha de 1 a { $max } linhas por página.
error-idempotency-key-invalid = Uma Idempotency-Key tem de 1 a 255 caracteres ASCII visíveis.
error-idempotency-key-reused = Esta Idempotency-Key já foi usada para outro pedido.
error-status-invalid = «{ $status }» não é confirmed, waitlisted nem cancelled.
error-country-code-invalid = «{ $code }» não é um código de país ISO 3166-1 alfa-2.
error-cursor-malformed = Este cursor não foi dado por este servidor.
error-cursor-other-event = Este cursor pertence à lista de outro encontro.
error-cursor-other-order = Este cursor pertence à lista em outra ordem.
error-cursor-other-search = Este cursor pertence a uma lista com pesquisa, ou sem ela, ao contrário desta.
error-cursor-with-page = Um cursor não é dado com uma página: siga next.
error-cursor-both-ways = Indique um cursor em after ou em before, não nos dois.
error-answer-filter-unknown = Este evento não tem nenhuma pergunta com o código { $code }.
error-answer-filter-sensitive = As respostas a uma pergunta sensível não podem filtrar a lista.
error-answer-filter-kind = Somente perguntas de sim/não e de opções podem filtrar a lista.
error-answer-filter-word = Escolha uma destas opções: { $name }.
error-sort-invalid = Escolha uma destas ordens: { $name }, ou nenhuma.

## E-mails

email-subject-confirmation = { $event }: sua inscrição está confirmada
email-subject-waitlisted = { $event }: você está na lista de espera
email-subject-promoted = { $event }: uma vaga foi liberada para você
email-subject-sessions_changed = { $event }: suas sessões foram salvas
email-subject-cancelled = { $event }: sua inscrição foi cancelada
email-subject-resend = { $event }: sua inscrição
email-greeting = Prezado/a { $name },
email-lead-confirmation = Obrigado por se inscrever. Sua inscrição está confirmada e será um prazer recebê-lo/a.
email-lead-waitlisted = Obrigado por se inscrever. No momento não há mais vagas, por isso sua inscrição está na lista de espera. Escreveremos a você assim que uma vaga for liberada.
email-lead-promoted = Boa notícia: uma vaga foi liberada para você. Esta é a sua inscrição como está agora.
email-lead-sessions_changed = Sua escolha de sessões foi salva. Esta é a sua inscrição como está agora.
email-lead-cancelled = Sua inscrição foi cancelada. Se mudar de ideia, você pode se inscrever novamente enquanto as inscrições estiverem abertas.
email-lead-resend = Conforme solicitado, enviamos novamente os dados da sua inscrição.
email-private-link-earlier = Seu link pessoal, no e-mail que enviamos quando você se inscreveu, permite ver, alterar ou cancelar sua inscrição.
email-signature = A equipe organizadora

## Perguntas dos organizadores

error-question-unknown = Este encontro não faz esta pergunta.
error-question-after-approval = Esta pergunta é feita depois de confirmada a sua inscrição.
error-answer-yes-no = Responda sim ou não.
error-choice-unknown = Escolha uma das respostas propostas.
error-choices-not-list = Escolha respostas da lista.
error-answer-number = Digite um número inteiro.
error-answer-below-min = Digite um número de pelo menos { $min }.
error-answer-above-max = Digite um número de no máximo { $max }.
error-answer-date = Digite uma data, por exemplo 2027-11-22.
error-answer-date-before = Digite uma data a partir de { $min }.
error-answer-date-after = Digite uma data até { $max }.
error-choice-full = Esta opção está esgotada: escolha outra.
error-category-unknown = Escolha uma das categorias propostas.
error-answer-closed = Esta resposta já não pode ser alterada: as respostas encerraram em { $time }. Escreva à organização.
error-purge-days-invalid = Indique um número inteiro de dias de 0 a { $max }, ou deixe vazio.
manage-answers-closed = Encerrada em { $time }: escreva à organização para alterá-la.
answer-yes = Sim
answer-no = Não
answer-choice-full = (esgotado)
answer-only-if = Responda somente se respondeu “{ $question }” com: { $answers }.
answer-only-for = Somente para: { $categories }.
manage-change-answers = Alterar suas respostas
manage-save-answers = Salvar as respostas
manage-answers-saved = Suas respostas foram salvas.
error-answer-file = Envie um arquivo: um PDF, um JPEG ou um PNG.
error-file-empty = Este arquivo está vazio: escolha outro.
error-file-too-big = Este arquivo é grande demais: envie um de no máximo { $max }.
error-file-type = Envie um PDF, um JPEG ou um PNG: este arquivo não é nenhum deles.
error-file-unknown = Este arquivo não foi enviado com esta inscrição: envie-o novamente.
error-question-not-file = Esta pergunta não aceita arquivo.
answer-file-kinds = Um arquivo PDF, JPEG ou PNG, de no máximo { $max }.
answer-file-again = Escolha o arquivo novamente: ele não foi guardado.
answer-file-current = Baixar o arquivo enviado

# Email-verified places
status-unverified = aguardando confirmação do e-mail
confirm-title-unverified = Consulte seu e-mail para manter sua vaga
email-subject-unverified = { $event }: confirme seu e-mail para manter sua vaga
email-lead-unverified = Obrigado pela inscrição. Uma vaga está reservada para você: confirme seu e-mail para mantê-la.
email-verify-hold = Confirme seu e-mail até { $time } para manter sua vaga: abra este link e aperte o botão.
email-verify-waiting = Confirme agora seu e-mail com este link: quando uma vaga for liberada para você, ela fica reservada só por pouco tempo para um endereço que ninguém confirmou.
email-verify-earlier = Confirme seu e-mail até { $time } para manter esta vaga, com o link do primeiro e-mail que enviamos.
error-verification-invalid = Escolha “none” ou “email”.
error-verification-hours-invalid = Indique um número inteiro de horas de { $min } a { $max }.
verify-title = Confirme seu e-mail
verify-lead = Aperte o botão para confirmar seu e-mail para { $event }.
verify-button = Confirmar meu e-mail
verify-done-confirmed = Obrigado: seu e-mail está confirmado, e sua vaga também.
verify-done-waiting = Obrigado: seu e-mail está confirmado. Você mantém sua vez na lista de espera.
verify-already = Seu e-mail já estava confirmado.
verify-cancelled = Esta inscrição está cancelada: sua vaga estava reservada até um prazo que já passou. Você pode se inscrever de novo enquanto as inscrições estiverem abertas.
verify-unknown = Este link não é, ou não é mais, válido.
manage-verify-by = Sua vaga está reservada até { $time }: confirme seu e-mail com o link que enviamos, ou ela passará para a próxima pessoa na espera.
email-subject-verification = { $event }: seu link para confirmar seu e-mail
email-lead-verification = Como você pediu, aqui está um novo link para confirmar seu e-mail. Os links de e-mails anteriores não funcionam mais.
verify-again-title = Receber um novo link de confirmação
verify-again-lead = Inscrito em { $event }, mas não encontra o link para confirmar seu e-mail? Informe o endereço com que se inscreveu.
verify-again-email = Seu e-mail
verify-again-button = Enviar-me um novo link
verify-again-sent = Se uma inscrição neste encontro aguarda a confirmação deste endereço, um novo link é enviado para ele. Só um link é enviado a cada 10 minutos.
verify-again-link = Já inscrito, mas sem link de confirmação? Receba um novo.

# Approval
status-pending = à espera da decisão da organização
status-rejected = não aceite
confirm-title-pending = A sua inscrição aguarda a decisão da organização
verify-done-pending = Obrigado: o seu endereço de e-mail está confirmado. A organização vai agora decidir sobre a sua inscrição, e iremos escrever-lhe.
email-subject-pending = { $event }: recebemos a sua inscrição
email-lead-pending = Obrigado pela sua inscrição. A organização analisa cada inscrição desta categoria e irá escrever-lhe com a sua decisão.
email-subject-approved = { $event }: a sua inscrição foi aceite
email-lead-approved = Boas notícias: a organização aceitou a sua inscrição.
email-subject-rejected = { $event }: a sua inscrição
email-lead-rejected = Lamentamos: a organização não pôde aceitar a sua inscrição.
email-rejection-reason = Motivo: { $reason }
rejection-reason-other = outro motivo
rejection-reason-incomplete = a inscrição está incompleta
rejection-reason-not-eligible = a inscrição não cumpre as condições desta categoria
rejection-reason-no-place = já não há vagas nesta categoria
