## Back office (organisers): pages under /admin.
# O mesmo glossário de main.ftl. Os argumentos chegam já formatados, exceto
# $count, $taken, $line, $page, $pages e $position, que são números.

admin-site-title = Rencontre — espaço da organização
admin-logout = Sair
admin-error-title = Não foi possível fazer isto
admin-error-forbidden = Você não tem permissão para fazer isto. Uma conta de consulta pode ler e exportar, mas as alterações exigem uma conta de organizador/a; se a sua for uma delas, o formulário pode ter expirado: recarregue a página e tente novamente.
admin-error-not-found = Não há nada neste endereço. Volte à lista e escolha novamente.
admin-error-invalid = Algo neste pedido não é válido. Volte à página e tente novamente.
admin-error-cancelled = Esta inscrição está cancelada: não pode mais ser alterada.
admin-form-expired = Este formulário expirou. Envie-o novamente.
admin-problems-title = Corrija o seguinte
admin-refused-title = Isto não foi feito
admin-save = Salvar
admin-none-yet = Nada por enquanto.
admin-actions = Ações
admin-page-of = Página { $page } de { $pages }

## Notices after an action

admin-done-saved = Suas alterações foram salvas.
admin-done-deleted = A sessão foi excluída.
admin-done-imported = As cotas por país foram importadas.
admin-done-cancelled = A inscrição foi cancelada e o delegado ou a delegada foi avisado/a por e-mail.
admin-done-promoted = O delegado ou a delegada recebeu uma vaga e foi avisado/a por e-mail.
admin-approvals-hint = Marque abaixo as inscrições a aceitar e aceite-as em conjunto: cada uma ocupa a vaga seguinte, pela ordem da lista.
admin-approvals-submit = Aceitar as selecionadas
admin-approvals-tick = Aceitar { $reference }
admin-column-category = Categoria
admin-decision = Decisão
admin-approve = Aceitar esta inscrição
admin-reject = Recusar esta inscrição
admin-reject-reason = Motivo
admin-reject-note = Nota para a pessoa
admin-reject-note-hint = Opcional. Escrita no e-mail sob o motivo, tal como está.
admin-done-approved = A inscrição foi aceite e a pessoa avisada por e-mail.
admin-done-approved-many = Aceites: { $accepted }, cada pessoa avisada por e-mail. Não aceites: { $refused } (já decididas, canceladas ou de outro evento).
admin-done-rejected = A inscrição foi recusada e a pessoa avisada por e-mail, com o motivo.
admin-action-approve = Aceite
admin-action-reject = Recusada
admin-category-approval = As inscrições exigem a aceitação da organização
admin-event-pending-holds = Uma inscrição à espera de aceitação mantém a vaga que recebeu
admin-event-pending-holds-hint = Desmarcado, as inscrições pendentes não ocupam vaga: aceitar uma dá-lhe a próxima vaga, ou a lista de espera.
admin-done-sessions = As sessões foram alteradas e o delegado ou a delegada foi avisado/a por e-mail.
admin-done-resent = O último e-mail será enviado novamente.
admin-done-retried = O e-mail será enviado novamente em breve.
admin-done-reset = O texto padrão voltará a ser usado.

## Login

admin-login-title = Acesso dos organizadores
admin-password = Senha
admin-login-submit = Entrar
admin-login-failed = O endereço de e-mail ou a senha não estão corretos.
admin-login-too-many = Tentativas malsucedidas demais. Aguarde até 15 minutos antes de tentar novamente.

## Events

admin-events-title = Encontros
admin-events-none = Ainda não há nenhum encontro.
admin-column-event = Encontro
admin-column-dates = Datas
admin-column-window = Inscrições
admin-window-open = abertas
admin-window-upcoming = ainda não abertas
admin-window-closed = encerradas
admin-event-new-title = Novo encontro
admin-event-edit-title = Configurações do encontro
admin-event-slug = Endereço web
admin-event-slug-hint = Letras minúsculas, algarismos e hífens, por exemplo dakar-2005. Não poderá ser alterado depois.
admin-event-slug-taken = Outro encontro já tem este endereço web.
admin-event-name = Nome
admin-event-description = Descrição
admin-event-starts-on = Primeiro dia
admin-event-ends-on = Último dia
error-event-ends-invalid = Indique o último dia, igual ou posterior ao primeiro.
error-date-invalid = Indique uma data, por exemplo 2027-11-22.
admin-event-timezone = Fuso horário
admin-event-timezone-hint = O fuso horário do encontro, por exemplo Africa/Dakar ou America/Lima. Todos os horários abaixo estão neste fuso.
error-timezone-invalid = Indique o nome de um fuso horário como Africa/Dakar.
admin-event-languages = Idiomas do encontro
error-languages-invalid = Escolha pelo menos um idioma.
admin-event-languages-hint = O primeiro idioma marcado é o primeiro idioma do encontro: seus textos substituem qualquer texto que falte em outro idioma.
admin-event-opens = Abertura das inscrições
admin-event-closes = Encerramento das inscrições
error-event-closes-invalid = Indique quando as inscrições são encerradas, depois da abertura.
admin-times-hint = No fuso horário do encontro.
error-time-invalid = Indique uma data e um horário.
admin-event-capacity = Capacidade do encontro
admin-capacity-hint = Deixe em branco para não fixar nenhum limite.
error-capacity-invalid = Indique um número inteiro igual ou maior que 0, ou deixe o campo em branco para não fixar nenhum limite.
admin-event-default-quota = Cota por país padrão
admin-event-default-quota-hint = As vagas de cada país que não tem cota própria. Deixe em branco para não fixar nenhum limite por país.
error-capacity-below-taken =
    { $taken ->
        [one] A capacidade não pode ser menor que a vaga já ocupada.
       *[other] A capacidade não pode ser menor que as { $taken } vagas já ocupadas.
    }
admin-translations = Outros idiomas
admin-translations-hint = Os textos acima estão no primeiro idioma do encontro. Um idioma cujo campo fique em branco mostra esses textos no lugar.
error-text-too-long = Use no máximo { $max } caracteres.
error-language-not-offered = Este não é um dos idiomas do encontro. Adicione o idioma ao encontro ou deixe este campo em branco.

## An event's pages

admin-tab-dashboard = Visão geral
admin-tab-registrations = Inscrições
admin-tab-sessions = Sessões
admin-tab-countries = Cotas por país
admin-tab-emails = E-mails
admin-tab-email-texts = Textos dos e-mails
admin-tab-settings = Configurações
admin-whole-event = Todo o encontro
admin-confirmed = Vagas ocupadas
admin-waiting = Lista de espera
admin-filled = Vagas ocupadas
admin-per-day = Inscrições por dia
admin-column-day = Dia

## Sessions

admin-session-new = Nova sessão
admin-session-edit-title = Sessão { $code }
admin-session-code = Código
admin-session-code-hint = Letras, algarismos, hífens e sublinhados, por exemplo A3. Não poderá ser alterado depois.
admin-session-code-taken = Este encontro já tem uma sessão com este código.
admin-session-title = Título
admin-session-description = Descrição
admin-session-kind = Tipo
error-session-kind-invalid = Escolha oficina ou plenária.
admin-session-room = Sala
admin-session-starts = Início
admin-session-ends = Fim
error-session-ends-invalid = Indique quando a sessão termina, depois do início.
admin-session-capacity = Vagas
admin-session-delete = Excluir esta sessão
admin-session-delete-hint = Só pode ser excluída uma sessão que nenhum delegado ou delegada tenha escolhido.
admin-tab-categories = Categorias
admin-categories-intro = Delegados/as, observadores/as, oradores/as, imprensa, equipa… Cada categoria pode ter vagas próprias; uma categoria fora das cotas não ocupa nenhuma vaga do encontro nem dos países.
admin-categories-none = Nenhuma categoria: todas as pessoas se inscrevem da mesma forma.
admin-category-code = Código
admin-category-code-hint = Uma letra minúscula, seguida de letras, algarismos ou sublinhados, por exemplo observer. Identifica a categoria na API e nas exportações, e não pode mudar.
admin-category-code-taken = Este encontro já tem uma categoria com este código.
admin-category-name = Nome
admin-category-name-in = Nome em { $name }
admin-category-capacity = Vagas próprias
admin-category-position = Posição no formulário
admin-category-counts = As suas vagas contam nas cotas
admin-category-counts-hint = Marcado, uma vaga ocupa também uma vaga da capacidade do encontro e da cota do país. Fica fixo assim que alguém se inscreve nela.
admin-category-public-label = Oferecida no formulário
admin-category-public-hint = Desmarcado, só a organização a atribui (por convite).
admin-category-quotas = Cotas
admin-category-in-quotas = Dentro das cotas
admin-category-outside-quotas = Fora das cotas
admin-category-offered = Oferecida
admin-category-public = No formulário
admin-category-invitation = Por convite
admin-category-waiting = Em espera
admin-category-new = Nova categoria
admin-category-edit-title = Categoria { $code }
admin-category-delete = Apagar esta categoria
admin-category-delete-hint = Só pode ser apagada uma categoria em que ninguém se tenha inscrito.
admin-category-decide-first = Esta inscrição aguarda uma decisão: aceite-a ou recuse-a primeiro.
admin-category-no-room = A nova categoria não tem vaga livre para esta pessoa: nada foi alterado.
admin-category-change = Passar para esta categoria
admin-done-category = A inscrição está na sua nova categoria.
admin-action-category = Categoria alterada
admin-session-has-choices =
    { $count ->
        [one] Esta sessão não pode ser excluída: { $count } delegado/a a escolheu. Altere primeiro as sessões dele/dela.
       *[other] Esta sessão não pode ser excluída: { $count } delegados/as a escolheram. Altere primeiro as sessões deles/delas.
    }

## Country quotas

admin-quota-intro = Cada país tem uma cota de vagas. Quando uma cota aumenta, os delegados e as delegadas desse país na lista de espera recebem imediatamente as novas vagas.
admin-quota-own = cota própria
admin-quota-default = cota padrão
admin-quota-set = Definir a cota de um país
admin-quota-capacity = Cota
admin-import-title = Importar cotas por país
admin-import-intro = Uma linha por país: o código e a cota, separados por uma vírgula, por exemplo SN,25. Uma primeira linha "country,capacity" é aceita. Se alguma linha estiver errada, nada é alterado.
admin-import-file = Arquivo CSV
admin-import-lines = Ou digite as linhas aqui
admin-import-submit = Importar
admin-import-refused = Nada foi importado
admin-import-line = Linha { $line }: { $problem }
admin-import-country = { $code } não é um código de país.
admin-import-twice = Este país já está na linha { $first }.
admin-import-columns = Escreva um código de país e uma capacidade, separados por uma vírgula.
admin-import-empty = Não há nenhuma linha para importar.
admin-import-both = Escolha um arquivo ou digite linhas, não as duas coisas.

## Registrations

admin-search = Pesquisar
admin-search-hint = Parte de um nome, de um endereço de e-mail, de uma referência ou de uma organização.
admin-search-submit = Pesquisar
admin-any-status = Qualquer situação
admin-any-country = Qualquer país
admin-any-session = Qualquer sessão
admin-found =
    { $count ->
        [one] Uma inscrição
       *[other] { $count } inscrições
    }
admin-found-more = Mais de { $count } inscrições
admin-page-shown =
    { $count ->
        [one] Uma nesta página
       *[other] { $count } nesta página
    }
admin-export-csv = Exportar a lista de participantes (CSV)
admin-export-xlsx = Exportar a lista de participantes (Excel)
admin-export-sensitive = Excel, com as respostas sensíveis
admin-column-reference = Referência
admin-column-name = Nome
admin-column-email = E-mail
admin-column-country = País
admin-column-organisation = Organização
admin-column-status = Situação
admin-column-registered = Inscrição em
admin-status-position = { $status } (posição { $position })
admin-registration-title = Inscrição { $reference }: { $name }
admin-no-sessions = Nenhuma sessão escolhida.
admin-promote = Dar uma vaga agora
admin-promote-hint = Dá uma vaga a este delegado ou esta delegada antes da vez na lista de espera, se o encontro e a cota do país tiverem ambos uma vaga livre.
admin-promote-not-waiting = Só um delegado ou uma delegada na lista de espera pode receber uma vaga.
admin-promote-event-full = O encontro está esgotado: não há vaga para dar.
admin-promote-country-full = A cota do país deste delegado ou desta delegada está esgotada: aumente-a para dar uma vaga.
admin-promote-category-full = As vagas da categoria deste delegado ou desta delegada estão todas ocupadas: aumente a capacidade para dar uma vaga.
admin-approve-rejected = Esta inscrição foi recusada: já não pode ser aceite.
admin-approve-not-needed = A categoria desta inscrição não exige aceitação.
admin-reject-confirmed = Esta inscrição está confirmada: cancele-a em vez disso.
admin-reject-not-pending = Só pode ser recusada uma inscrição à espera de decisão; cancele esta em vez disso.
error-reason-unknown = Escolha um dos motivos do encontro.
error-pending-holds-fixed = Há inscrições à espera de decisão: se mantêm a vaga poderá mudar quando todas estiverem decididas.
error-approvals-invalid = Indique uma lista de 1 a 500 identificadores de inscrição.
error-rejection-reasons-invalid = Indique uma lista de no máximo 20 motivos, cada um com um código e os seus textos.
error-reason-code-invalid = O código de um motivo é uma letra minúscula, seguida de letras, algarismos ou sublinhados, e nenhum outro motivo o tem.
admin-resend = Reenviar o último e-mail
admin-cancel = Cancelar esta inscrição
admin-cancel-confirm = Confirmo: as vagas do delegado ou da delegada irão para as listas de espera.
admin-cancel-unconfirmed = Marque a caixa de confirmação para cancelar esta inscrição.
admin-history = Histórico
admin-column-when = Quando
admin-column-who = Quem
admin-column-what = O quê
admin-column-detail = Detalhe
admin-action-cancel = Inscrição cancelada
admin-action-promote = Vaga dada antes da vez
admin-action-sessions = Sessões alteradas
admin-action-resend = E-mail reenviado
admin-action-retry = Nova tentativa de um e-mail com falha

## Emails

admin-emails-count =
    { $count ->
        [one] Um e-mail
       *[other] { $count } e-mails
    }
admin-column-kind = E-mail
admin-column-recipient = Para
admin-column-subject = Assunto
admin-column-attempts = Tentativas
admin-column-error = Último erro
admin-email-confirmation = Confirmação
admin-email-waitlisted = Lista de espera
admin-email-promoted = Vaga liberada
admin-email-sessions-changed = Sessões alteradas
admin-email-cancelled = Cancelamento
admin-email-resend = Cópia
admin-email-pending = aguardando envio
admin-email-sent = enviado
admin-email-failed = com falha
admin-email-next = próxima tentativa: { $time }
admin-email-retry = Tentar novamente
admin-email-texts-intro = Cada e-mail pode ser redigido com suas próprias palavras, em cada idioma do encontro. Um e-mail sem texto próprio usa o texto padrão.
admin-email-text-own = seu próprio texto
admin-email-text-built-in = texto padrão
admin-email-text-body = Texto do e-mail
admin-email-text-placeholders = Estas variáveis, escritas com suas chaves, são substituídas em cada e-mail:
admin-email-text-reset = Voltar ao texto padrão
error-placeholder-unknown = { $name } não é uma das variáveis conhecidas.
error-placeholder-unclosed = Uma chave { "{" } não está fechada com { "}" }.

## Perguntas

error-not-boolean = Este campo deve ser true ou false.
error-question-code-invalid = Um código é uma letra minúscula, seguida de até 31 letras minúsculas, algarismos ou sublinhados.
error-category-code-invalid = Um código de categoria é uma letra minúscula, seguida de até 31 letras minúsculas, algarismos ou sublinhados.
error-position-invalid = Indique um número inteiro de { $min } a { $max }.
error-category-in-use = Já há inscrições nesta categoria: ela já não pode ser apagada nem entrar ou sair das cotas.
error-category-asked = A pergunta “{ $code }” é feita a esta categoria: retire-a primeiro da pergunta.
error-question-type-invalid = Escolha um destes tipos: { $name }.
error-question-stage-invalid = Escolha registration ou after_approval.
error-choices-not-offered = Só as perguntas de escolha única ou múltipla têm opções.
error-too-many-choices = Ofereça no máximo { $max } opções.
error-choice-code-invalid = Um código de opção é uma letra minúscula ou um algarismo, seguido de até 31 letras minúsculas, algarismos, hífens ou sublinhados.
error-choice-repeated = Este código de opção aparece duas vezes.
error-choice-held = A opção { $code } está com { $taken } inscrições: mantenha-a.
error-bounds-not-offered = Só as perguntas de número e de data têm um mínimo e um máximo.
error-bounds-crossed = O máximo não deve ser inferior ao mínimo.
error-condition-question-invalid = Uma condição nomeia uma pergunta anterior de sim/não ou de escolha.
error-choice-unknown-code = { $code } não é uma das respostas dessa pergunta.
error-question-is-condition = A pergunta { $code } só é feita depois desta: mude primeiro a condição dela.
error-question-has-answers = { $count } inscrições responderam a esta pergunta. Apague com confirm=true para apagar também as respostas.

## Questions in the back office

admin-tab-questions = Perguntas
admin-question-new = Nova pergunta
admin-question-edit-title = Pergunta { $code }
admin-question-code = Código
admin-question-code-hint = Uma letra minúscula, depois letras minúsculas, algarismos ou sublinhados, por exemplo dieta. Ele dá título à coluna da exportação e não poderá ser alterado depois.
admin-question-code-taken = Este encontro já faz uma pergunta com este código.
admin-question-type = Tipo de resposta
admin-question-type-text = Texto curto
admin-question-type-long-text = Texto longo
admin-question-type-yes-no = Sim ou não
admin-question-type-single-choice = Uma única opção
admin-question-type-multiple-choice = Várias opções
admin-question-type-number = Número inteiro
admin-question-type-date = Data
admin-question-type-country = País
admin-question-type-file = Arquivo
admin-question-label = Pergunta
admin-question-help = Texto de ajuda
admin-question-required = Resposta obrigatória
admin-question-sensitive = Sensível
admin-question-sensitive-hint = As respostas sensíveis só são mostradas à organização, nunca a quem apenas consulta, e ficam fora das exportações.
admin-question-position = Ordem
admin-question-position-hint = As perguntas são feitas do menor número ao maior.
admin-question-stage = Feita
admin-question-stage-registration = no formulário de inscrição
admin-question-stage-after-approval = depois de confirmada a inscrição, na página pessoal
admin-question-choices = Opções
admin-question-choices-hint = Somente para os tipos com opções. As linhas vazias são ignoradas; salve para obter mais linhas.
admin-question-choice = Opção { $position }
admin-question-choice-code = Código da opção
admin-question-condition = Perguntar somente se…
admin-question-condition-parent = esta pergunta anterior
admin-question-condition-none = (perguntar sempre)
admin-question-condition-words = recebeu uma destas respostas
admin-question-condition-hint = Códigos de opção, ou yes e no, separados por vírgulas.
admin-question-min = Mínimo
admin-question-max = Máximo
admin-question-bounds-hint = Para um número, um número inteiro; para uma data, AAAA-MM-DD. Deixe em branco para não fixar nenhum limite.
admin-question-answers-until = Os delegados podem alterar a resposta até
admin-question-answers-until-hint = No fuso horário do evento. Depois, somente a organização altera a resposta. Deixe vazio para não fixar um fim.
admin-question-purge-days = Apagar as respostas, dias após o evento
admin-question-purge-days-hint = O Rencontre apaga as respostas (e os arquivos) este número de dias após o último dia do evento. Deixe vazio para mantê-las até o evento ser anonimizado.
admin-question-answered = Respostas
admin-question-answered-count = { $count } delegados e delegadas responderam.
admin-question-summary = Contagem
admin-question-summary-title = Contagem de { $code }
admin-question-count = Delegados e delegadas
admin-question-by-country = Por país
admin-question-counted-only = Para este tipo de pergunta, só o número de respostas é mostrado.
admin-question-delete = Excluir a pergunta
admin-question-delete-hint = { $count } inscrições responderam a esta pergunta; suas respostas são excluídas com ela.
admin-question-delete-confirm = Excluir também as { $count } respostas
admin-presets = Perguntas prontas
admin-presets-hint = Um clique acrescenta a pergunta, redigida nos idiomas do encontro, depois das outras; altere-a depois como quiser.
admin-preset-diet = Restrições alimentares
admin-preset-accessibility = Necessidades de acessibilidade
admin-preset-interpretation = Idioma de interpretação
admin-preset-travel-dates = Datas de chegada e partida
admin-preset-nationality = Nacionalidade do passaporte
admin-answers = Respostas às perguntas
admin-answers-change = Alterar as respostas
admin-answers-save = Salvar as respostas
admin-answer-hidden = Resposta sensível, mostrada somente à organização
admin-done-answers = As respostas foram salvas.
admin-action-answers = Respostas alteradas
error-preset-unknown = Escolha uma destas perguntas prontas: { $name }.
error-preset-code-taken = Este encontro já faz uma pergunta com o código { $code }.

# Email-verified places
admin-event-verification = Reservar cada vaga até a confirmação do seu e-mail
admin-event-verification-hint = Cada nova pessoa inscrita recebe um link por e-mail. Uma vaga dada a um endereço que ninguém confirmou fica só reservada: sem confirmação a tempo, passa para a próxima pessoa na espera. Assim, endereços inventados não podem ocupar as vagas de um país.
admin-event-verification-hours = Horas de reserva de uma vaga para seu e-mail
admin-event-verification-hours-hint = De 1 a 720. Deixe em branco para 24.
admin-email-verification = Novo link de confirmação
admin-email-approved = Aceitação
admin-email-rejected = Recusa
admin-promote-why = Por que esta pessoa, antes da lista de espera (guardado no registro)
admin-promote-why-required = Diga por que esta pessoa recebe uma vaga antes da lista de espera.
admin-status-held = { $status }: a vaga está reservada até { $time }
