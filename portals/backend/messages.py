"""The message catalog: every text the portals show, in en-US, es-ES and it-IT.

The three texts of the rulebook's message table (and the UI labels the seeds quote) are verbatim;
the rest are the project's own wording. Keys are stable; portals and refusals refer to them only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

LANGUAGES: tuple[str, ...] = ("en-US", "es-ES", "it-IT")
DEFAULT_LANGUAGE = "en-US"

# key: (en-US, es-ES, it-IT)
CATALOG: dict[str, tuple[str, str, str]] = {
    # --- the rulebook's table, verbatim -------------------------------------------------------
    "not_authorized": (
        "You are not authorized for this action",
        "No está autorizado para esta acción",
        "Non si è autorizzati per questa azione",
    ),
    "no_benefits": (
        "It looks like you don't have any benefits yet",
        "Parece que aún no tiene ninguna beneficios",
        "Sembra che non ci siano ancora vantaggi",
    ),
    "access_id_already_associated": (
        "This Access ID is already associated with an account. Please contact your Technical Account "
        "Manager to get a new Access ID.",
        "Este identificador de acceso ya está asociado a una cuenta. Póngase en contacto con el "
        "administrador técnico de cuentas para obtener un nuevo identificador de acceso.",
        "Questo ID di accesso è già associato a un account. Contattare il Technical Account Manager per "
        "ottenere un nuovo ID di accesso",
    ),
    # --- UI labels the seeds quote ---------------------------------------------------------------
    "benefits": ("Benefits", "Beneficios", "Vantaggi"),
    "technical_benefits": ("Technical benefits", "Ventajas técnicas", "Vantaggi tecnici"),
    "activate": ("Activate", "Activar", "Attiva"),
    "sign_in_different_account": (
        "Sign in with a different account",
        "Iniciar sesión con otra cuenta",
        "Accedi con un altro account",
    ),
    "customers": ("Customers", "Clientes", "Clienti"),
    "service_management": ("Service management", "Administración de servicios", "Gestione servizi"),
    "new_request": ("New request", "Nueva solicitud", "Nuova richiesta"),
    "help_support": ("Help + support", "Ayuda y soporte técnico", "Guida e supporto tecnico"),
    "support_plans": ("Support plans", "Planes de soporte técnico", "Piani di supporto"),
    "link_support_benefits": (
        "Link support benefits",
        "Vincular ventajas de soporte técnico",
        "Collega vantaggi di supporto",
    ),
    "new_support_request": ("New support request", "New Support Request", "Nuovo Richiesta di supporto"),
    "add_contract": ("Add contract", "Agregar contrato", "Aggiungi contratto"),
    "sign_in": ("Sign in", "Iniciar sesión", "Accedi"),
    "sign_out": ("Sign out", "Cerrar sesión", "Esci"),
    "pick_account": ("Pick an account", "Elija una cuenta", "Scegliere un account"),
    "pick_account_hint": (
        "The emulator has no passwords: choose an account of this world or type one.",
        "El emulador no tiene contraseñas: elija una cuenta de este mundo o escriba una.",
        "L'emulatore non ha password: scegliere un account di questo mondo o digitarne uno.",
    ),
    "account": ("Account", "Cuenta", "Account"),
    "access_id": ("Access ID", "Identificador de acceso", "ID di accesso"),
    "contract_id": ("Contract ID", "Identificador de contrato", "ID contratto"),
    "purchase_or_add_plans": (
        "Do you need to purchase or add more support plans",
        "¿Necesita comprar o agregar más planes de soporte técnico?",
        "È necessario acquistare o aggiungere altri piani di supporto",
    ),
    "see_unavailable_plans": (
        "Would you like to see unavailable support plans?",
        "¿Desea ver planes de soporte técnico no disponibles?",
        "Si desidera visualizzare i piani di supporto non disponibili?",
    ),
    "product_support_incidents": (
        "Product support incidents",
        "Incidentes de soporte técnico del producto",
        "Eventi imprevisti del supporto tecnico",
    ),
    "tpd": (
        "Presales and deployment technical services (TPD)",
        "Servicios técnicos de preventa e implementación (TPD)",
        "Servizi tecnici di prevendita e distribuzione (TPD)",
    ),
    "microsoft_product_support": (
        "Microsoft product support",
        "Soporte técnico de productos de Microsoft",
        "Supporto tecnico Microsoft",
    ),
    "signature_cloud_support": (
        "Signature Cloud Support",
        "Soporte técnico Signature Cloud",
        "Signature Cloud Support",
    ),
    "cloud_solution_provider": (
        "Cloud Solution Provider",
        "Proveedor de soluciones en la nube",
        "Cloud Solution Provider",
    ),
    "premier_support": (
        "Premier Support for Partners",
        "Soporte técnico Premier para asociados",
        "Supporto tecnico Premier per i partner",
    ),
    "advanced_support": (
        "Advanced Support for Partners",
        "Soporte técnico avanzado para asociados",
        "Supporto avanzato per i partner",
    ),
    "partner_support_contract": (
        "Partner support contract",
        "Contrato de soporte técnico para partners",
        "Contratto di supporto per i partner",
    ),
    "cloud_competencies": ("Cloud competencies", "Competencias en la nube", "Competenze cloud"),
    "other_competencies": ("Other competencies", "Otras competencias", "Altre competenze"),
    "unlimited": ("Unlimited", "Sin límite", "Nessuna limitazione"),
    "incidents_count": ("{count} incidents", "{count} incidentes", "{count} eventi imprevisti"),
    "not_included": ("Not included", "No incluido", "Non incluso"),
    "activation_in_progress": ("Activation in progress", "Activación en curso", "Attivazione in corso"),
    "remaining_incidents": ("Remaining incidents", "Incidentes restantes", "Eventi imprevisti rimanenti"),
    "start_date": ("Start date", "Fecha de inicio", "Data di inizio"),
    "end_date": ("End date", "Fecha de finalización", "Data di fine"),
    "appropriate_roles": ("Appropriate roles", "Roles adecuados", "Ruoli appropriati"),
    "role_global_admin": ("Global admin", "Administrador global", "Amministratore globale"),
    "role_mpn_partner_admin": (
        "MPN partner admin",
        "Administrador de asociados de MPN",
        "Amministratore partner MPN",
    ),
    "role_admin_agent": ("Admin agent", "Agente de administración", "Agente amministratore"),
    "role_user": ("User", "Usuario", "Utente"),
    "offer_action_pack": ("Action Pack", "Action Pack", "Action Pack"),
    "offer_silver": ("Silver", "Competencia Silver", "Competenza Silver"),
    "offer_gold": ("Gold", "Competencia Gold", "Competenza Gold"),
    # --- Partner Center portal labels (the project's wording) -----------------------------------------
    "pc_dashboard": ("Dashboard", "Panel", "Dashboard"),
    "pc_partner_support_plans": (
        "Partner support plans",
        "Planes de soporte técnico para partners",
        "Piani di supporto per i partner",
    ),
    # the offers' scope: the seeds' words (es/it verbatim, capitalised), then what D9 makes Premier cover
    "pc_premier_scope": (
        "The top tier of Microsoft technical support: on-premises and cloud products",
        "El nivel superior de soporte técnico de Microsoft: productos locales y en la nube",
        "Il livello principale di supporto tecnico di Microsoft: prodotti locali e cloud",
    ),
    "pc_advanced_scope": ("Cloud products only", "Solo productos en la nube", "Solo prodotti cloud"),
    "pc_buy": ("Buy", "Comprar", "Acquista"),
    "pc_plan_purchased": (
        "Support plan purchased",
        "Plan de soporte técnico adquirido",
        "Piano di supporto acquistato",
    ),
    "pc_contracts": (
        "Your organisation's contracts",
        "Contratos de su organización",
        "Contratti dell'organizzazione",
    ),
    "pc_no_contracts": ("No contracts yet", "Aún no hay contratos", "Ancora nessun contratto"),
    "pc_ready_on": ("Ready on {date}", "Disponible el {date}", "Disponibile dal {date}"),
    "pc_applies_to_you": (
        "Applies to your organisation",
        "Se aplica a su organización",
        "Si applica alla propria organizzazione",
    ),
    "pc_membership_offer": ("Membership offer", "Oferta de pertenencia", "Offerta di appartenenza"),
    "pc_benefits_activated": (
        "Technical benefits activated",
        "Ventajas técnicas activadas",
        "Vantaggi tecnici attivati",
    ),
    "pc_no_customers": ("No customers yet", "Aún no hay clientes", "Ancora nessun cliente"),
    "pc_customer_name": ("Customer name", "Nombre del cliente", "Nome cliente"),
    "pc_tenant": ("Tenant", "Inquilino", "Tenant"),
    "pc_workload": ("Workload", "Carga de trabajo", "Carico di lavoro"),
    "pc_title": ("Title", "Título", "Titolo"),
    "pc_csp": ("CSP", "CSP", "CSP"),
    "pc_no_customer_plans": (
        "No support plans yet",
        "Aún no hay planes de soporte técnico",
        "Ancora nessun piano di supporto",
    ),
    "pc_added_on": ("Added", "Agregado", "Aggiunto"),
    "pc_added_in": ("Added in", "Agregado en", "Aggiunto in"),
    # the portals' names: es/it as the seeds write them ("Centro de partners", "Soporte técnico para
    # empresas", "Supporto per le aziende", "Azure Portal", "portale di Azure"); the it-IT seed keeps
    # "Partner Center"
    "portal_partner_center": ("Partner Center", "Centro de partners", "Partner Center"),
    "portal_support_for_business": (
        "Support for Business",
        "Soporte técnico para empresas",
        "Supporto per le aziende",
    ),
    "portal_azure": ("Azure portal", "Azure Portal", "portale di Azure"),
    # Azure services whose names the portal translates (the others keep their product names); the
    # es-ES and it-IT names are the project's translations in Microsoft's usual terms (suscripción,
    # sottoscrizione, cuotas, quote): no localized list of the service names was found to quote
    "product_subscription-management": (
        "Subscription management",
        "Administración de suscripciones",
        "Gestione delle sottoscrizioni",
    ),
    "product_service-and-subscription-limits-quotas": (
        "Service and subscription limits (quotas)",
        "Límites de servicio y suscripción (cuotas)",
        "Limiti di servizio e sottoscrizione (quote)",
    ),
    "pc_plans_in_azure": (
        "Support plans in the Azure portal",
        "Planes de soporte técnico en Azure Portal",
        "Piani di supporto nel portale di Azure",
    ),
    # the seeds' sentence on what technical support is (es/it verbatim)
    "pc_support_scope": (
        "Technical support troubleshoots a specific problem, an error message or a feature that does "
        "not work as intended.",
        "El soporte técnico proporciona solución de problemas para un problema específico, un mensaje "
        "de error o una funcionalidad que no funciona según lo previsto.",
        "Il supporto tecnico fornisce la risoluzione di un problema, un messaggio di errore o una "
        "funzionalità specifica che non funziona come previsto.",
    ),
    # the seeds' sentence naming the cloud competencies (R-EN-03); es/it verbatim, the names in
    # ``competency_*`` below; the data keeps the English names
    "pc_cloud_competencies_include": (
        "Cloud competencies include: {competencies}.",
        "Las competencias en la nube incluyen: {competencies}.",
        "Le competenze cloud includono: {competencies}.",
    ),
    "competency_security": ("Security", "Competencia de seguridad", "Competenza di sicurezza"),
    "competency_cloud_business_applications": (
        "Cloud Business Applications",
        "Cloud Business Applications",
        "Cloud Business Applications",
    ),
    "competency_cloud_platform": ("Cloud Platform", "Cloud Platform", "Piattaforma cloud"),
    "competency_cloud_productivity": ("Cloud Productivity", "Cloud Productivity", "Produttività cloud"),
    "competency_enterprise_mobility_management": (
        "Enterprise Mobility Management",
        "Enterprise Mobility Management",
        "Gestione della mobilità aziendale",
    ),
    "competency_small_and_midmarket_cloud_solutions": (
        "Small and Midmarket Cloud Solutions",
        "Small and Midmarket Cloud Solutions",
        "Soluzioni cloud di piccole e medie dimensioni",
    ),
    # what the seeds say after the benefits page's refusals (R-PC-02, R-PC-04); es/it verbatim, en the
    # project's translation
    "pc_mpn_account_needed": (
        "You must have an MPN-associated account.",
        "Debe tener una cuenta asociada a MPN.",
        "È necessario avere un account MPN associato.",
    ),
    "pc_wrong_account": (
        "If your company has active membership offers but you cannot see them, you may have signed in with "
        "the wrong account.",
        "Si su empresa tiene ofertas de suscripción activas, pero no las puede ver, ha iniciado sesión con "
        "la cuenta incorrecta.",
        "Se l'azienda ha offerte di appartenenza attive ma non è possibile vederle, è possibile che "
        "l'accesso sia stato eseguito usando l'account errato.",
    ),
    "pc_check_account": (
        "To check the account, select the Account icon at the top right of the page and select Sign in "
        "with a different account (if needed).",
        "Para comprobar la cuenta, seleccione el icono Cuenta en la parte superior derecha de la página y "
        "seleccione Iniciar sesión con otra cuenta (si es necesario).",
        "Per controllare l'account, selezionare l'icona Account in alto a destra nella pagina e "
        "selezionare Accedi con un altro account (se necessario).",
    ),
    # R-PC-01's TPD card: es "más información" is the seed's; it-IT has no TPD line (own wording)
    "pc_more_information": ("more information", "más información", "altre informazioni"),
    "pc_tpd_independent": (
        "A benefit independent of product support incidents and of their activation.",
        "Una ventaja independiente de los incidentes de soporte técnico del producto y de su activación.",
        "Un vantaggio indipendente dagli eventi imprevisti del supporto tecnico e dalla loro attivazione.",
    ),
    # --- Support for Business portal labels (the project's wording) ----------------------------------
    "sfb_create_request": (
        "Create a support request",
        "Crear una solicitud de soporte técnico",
        "Crea una richiesta di supporto",
    ),
    "sfb_step1": ("Step 1: the problem", "Paso 1: el problema", "Passaggio 1: il problema"),
    "sfb_step2": (
        "Step 2: the support plan",
        "Paso 2: el plan de soporte técnico",
        "Passaggio 2: il piano di supporto",
    ),
    "sfb_covered_products": (
        "Covered under the n-1 policy",
        "Cubiertos por la directiva n-1",
        "Coperti dal criterio n-1",
    ),
    "sfb_older_than_n1_products": (
        "Older than n-1, not covered",
        "Anteriores a n-1, no cubiertos",
        "Precedenti a n-1, non coperti",
    ),
    "sfb_no_products": (
        "No on-premises product is released yet on {date}: the catalog starts with {product} on {released}",
        "Aún no se ha publicado ningún producto local el {date}: el catálogo empieza con {product} el "
        "{released}",
        "Nessun prodotto locale è ancora stato rilasciato il {date}: il catalogo inizia con {product} il "
        "{released}",
    ),
    # the on-premises product families (D7); product names stay as Microsoft writes them
    "family_windows_client": ("Windows client", "Cliente de Windows", "Client Windows"),
    "family_windows_server": ("Windows Server", "Windows Server", "Windows Server"),
    "family_sql_server": ("SQL Server", "SQL Server", "SQL Server"),
    "family_exchange_server": ("Exchange Server", "Exchange Server", "Exchange Server"),
    "family_sharepoint_server": ("SharePoint Server", "SharePoint Server", "SharePoint Server"),
    "sfb_problem_summary": ("Problem summary", "Resumen del problema", "Riepilogo del problema"),
    "sfb_next": ("Next", "Siguiente", "Avanti"),
    "sfb_back": ("Back", "Atrás", "Indietro"),
    "sfb_submit": ("Submit", "Enviar", "Invia"),
    "sfb_available_plans": (
        "Available support plans",
        "Planes de soporte técnico disponibles",
        "Piani di supporto disponibili",
    ),
    "sfb_no_available_plans": (
        "No support plan is available for this request",
        "Ningún plan de soporte técnico está disponible para esta solicitud",
        "Nessun piano di supporto è disponibile per questa richiesta",
    ),
    "sfb_no_unavailable_plans": (
        "No unavailable support plans",
        "No hay planes de soporte técnico no disponibles",
        "Nessun piano di supporto non disponibile",
    ),
    "sfb_contract_added": (
        "Contract {contract_id} added",
        "Contrato {contract_id} agregado",
        "Contratto {contract_id} aggiunto",
    ),
    "sfb_reason_contract_expired": ("Expired", "Expirado", "Scaduto"),
    "sfb_reason_no_incidents_remaining": (
        "No incidents left",
        "No queda ningún incidente",
        "Nessun evento imprevisto rimanente",
    ),
    "sfb_reason_product_older_than_n1": (
        "Older than n-1, not covered",
        "Anterior a n-1, no cubierto",
        "Precedente a n-1, non coperto",
    ),
    # R-SFB-08: the partner's Signature information under the unavailable support plans; the es/it
    # label is the seeds' wording ("la información de la firma de asociado", "le informazioni sulla
    # firma del partner")
    "sfb_signature_information": (
        "Signature information",
        "Información de la firma de asociado",
        "Informazioni sulla firma del partner",
    ),
    "sfb_signature_pack": (
        "Signature {count}-pack",
        "Paquete Signature {count}",
        "Pacchetto Signature {count}",
    ),
    "sfb_signature_remaining": (
        "{count} incidents left",
        "{count} incidentes restantes",
        "{count} eventi imprevisti rimanenti",
    ),
    "sfb_signature_in_azure": (
        "Signature Cloud Support is for cloud products: use it in the Azure portal, Help + support > "
        "Support plans.",
        "El soporte técnico Signature Cloud es para productos en la nube: úselo en Azure Portal, Ayuda y "
        "soporte técnico > Planes de soporte técnico.",
        "Signature Cloud Support è per i prodotti cloud: usarlo nel portale di Azure, Guida e supporto "
        "tecnico > Piani di supporto.",
    ),
    "sfb_signature_expired": (
        "The contract expired on {end}: no incident can be used",
        "El contrato expiró el {end}: no se puede usar ningún incidente",
        "Il contratto è scaduto il {end}: non è possibile usare alcun evento imprevisto",
    ),
    # es/it verbatim from the seeds
    "sfb_signature_action_pack": (
        "If you have Microsoft Action Pack you get no cloud support, because it includes no Signature "
        "Cloud Support: Microsoft product support (on-premises) only.",
        "Si tiene Microsoft Action Pack no obtiene soporte técnico en la nube porque no incluye Soporte "
        "técnico Signature Cloud: solo soporte técnico de productos de Microsoft (local).",
        "Se si dispone di Microsoft Action Pack non si ottiene il supporto cloud perché non include "
        "Signature Cloud Support , ma solo il supporto tecnico Microsoft (locale)",
    ),
    "sfb_no_requests": (
        "No support requests yet",
        "Aún no hay solicitudes de soporte técnico",
        "Ancora nessuna richiesta di supporto",
    ),
    "sfb_request_created": (
        "Support request {request_id} created",
        "Solicitud de soporte técnico {request_id} creada",
        "Richiesta di supporto {request_id} creata",
    ),
    "sfb_request_number": ("Request number", "Número de solicitud", "Numero di richiesta"),
    "az_service": ("Service", "Servicio", "Servizio"),
    "az_summary": ("Summary", "Resumen", "Riepilogo"),
    "az_number": ("Number", "Número", "Numero"),
    "az_no_plans": ("No support plans.", "No hay planes de soporte técnico.", "Nessun piano di supporto."),
    "az_no_plan_available": (
        "No support plan is available: link support benefits or purchase a plan.",
        "No hay ningún plan de soporte técnico disponible: vincule ventajas de soporte técnico o "
        "adquiera un plan.",
        "Nessun piano di supporto disponibile: collegare i vantaggi di supporto o acquistare un piano.",
    ),
    # R-AZ-07: a new plan must be purchased; es/it verbatim from the seeds, en the project's translation
    "az_see_partner_plans": (
        "See partner support plans below for paid partner support offers.",
        "Consulte planes de soporte técnico para partners a continuación para obtener ofertas de soporte "
        "técnico de pago para asociados.",
        "Vedere i piani di supporto per i partner di seguito per le offerte di supporto a pagamento dei "
        "partner",
    ),
    "az_customer_plans": (
        "Support plans of {customer}",
        "Planes de soporte técnico de {customer}",
        "Piani di supporto di {customer}",
    ),
    "az_no_requests": (
        "No support requests yet.",
        "Aún no hay solicitudes de soporte técnico.",
        "Ancora nessuna richiesta di supporto.",
    ),
    "az_request_created": (
        "Support request {id} created.",
        "Se creó la solicitud de soporte técnico {id}.",
        "Richiesta di supporto {id} creata.",
    ),
    "az_linked": (
        "Support benefits linked: {plan} · {contract_id}",
        "Ventajas de soporte técnico vinculadas: {plan} · {contract_id}",
        "Vantaggi di supporto collegati: {plan} · {contract_id}",
    ),
    "banner": (
        "Emulated portal · world {world} · simulated date {date} · Azure link mode {mode}",
        "Portal emulado · mundo {world} · fecha simulada {date} · modo de vínculo de Azure {mode}",
        "Portale emulato · mondo {world} · data simulata {date} · modalità di collegamento Azure {mode}",
    ),
    # D5's modes; es/it as the seeds speak of the error ("mensaje de error de diagnóstico", "messaggio
    # di errore di diagnostica"), "spurious" the project's wording
    "link_mode_spurious": ("spurious", "espurio", "spurio"),
    "link_mode_diagnostic": ("diagnostic", "de diagnóstico", "di diagnostica"),
    "banner_dashboard": ("World dashboard", "Panel del mundo", "Dashboard del mondo"),
    "home": ("Home", "Inicio", "Home"),
    "portal_switcher": ("Portals", "Portales", "Portali"),
    "no_accounts": (
        "This world has no accounts yet.",
        "Este mundo aún no tiene cuentas.",
        "Questo mondo non ha ancora account.",
    ),
    # a support request's status (the project's wording)
    "request_status_open": ("Open", "Abierta", "Aperta"),
    "request_status_closed": ("Closed", "Cerrada", "Chiusa"),
    # --- the harness's world dashboard (/_harness/; the project's wording) ---------------------------
    "dash_title": ("portal-harness", "portal-harness", "portal-harness"),
    "dash_banner": (
        "Test harness · the worlds behind the emulated portals",
        "Arnés de pruebas · los mundos detrás de los portales emulados",
        "Harness di test · i mondi dietro i portali emulati",
    ),
    "dash_worlds": ("Worlds", "Mundos", "Mondi"),
    "dash_world": ("World", "Mundo", "Mondo"),
    "dash_sections": ("Sections", "Secciones", "Sezioni"),
    "dash_simulated_date": ("Simulated date", "Fecha simulada", "Data simulata"),
    "dash_link_mode": ("Azure link mode", "Modo de vínculo de Azure", "Modalità di collegamento Azure"),
    "dash_organisations": ("Organisations", "Organizaciones", "Organizzazioni"),
    "dash_organisation": ("Organisation", "Organización", "Organizzazione"),
    "dash_accounts": ("Accounts", "Cuentas", "Account"),
    "dash_contracts": ("Contracts", "Contratos", "Contratti"),
    "dash_create_world": ("Create a world", "Crear un mundo", "Crea un mondo"),
    "dash_world_name": ("Name (optional)", "Nombre (opcional)", "Nome (facoltativo)"),
    "dash_world_seed": (
        "Seed of its IDs (optional)",
        "Semilla de sus ID (opcional)",
        "Seed dei suoi ID (facoltativo)",
    ),
    "dash_seed_file": ("Seed document file", "Archivo del documento de semilla", "File del documento seed"),
    "dash_seed_document": (
        "…or the seed document (YAML or JSON)",
        "…o el documento de semilla (YAML o JSON)",
        "…oppure il documento seed (YAML o JSON)",
    ),
    "dash_create": ("Create", "Crear", "Crea"),
    "dash_clock": ("Clock", "Reloj", "Orologio"),
    "dash_advance_by": ("Advance by", "Avanzar", "Avanza di"),
    "dash_advance": ("Advance", "Avanzar", "Avanza"),
    "dash_set_to": ("Set to", "Poner en", "Imposta a"),
    "dash_set_clock": ("Set the clock", "Poner el reloj", "Imposta l'orologio"),
    "dash_settings": ("Settings", "Configuración", "Impostazioni"),
    "dash_activation_delay": (
        "Activation delay (P3D, or days)",
        "Retraso de activación (P3D, o días)",
        "Ritardo di attivazione (P3D, o giorni)",
    ),
    "dash_save": ("Save", "Guardar", "Salva"),
    "dash_programs": ("Programs", "Programas", "Programmi"),
    "dash_competencies": ("Competencies", "Competencias", "Competenze"),
    "dash_not_activated": ("Not activated", "Sin activar", "Non attivati"),
    "dash_state_pending": ("Activation in progress", "Activación en curso", "Attivazione in corso"),
    "dash_state_active": ("Active", "Activo", "Attivo"),
    "dash_state_expired": ("Expired", "Expirado", "Scaduto"),
    "dash_kind": ("Kind", "Tipo", "Tipo"),
    "dash_roles": ("Roles", "Roles", "Ruoli"),
    "dash_sign_in_as": (
        "Sign in as this account",
        "Iniciar sesión con esta cuenta",
        "Accedi con questo account",
    ),
    "dash_remaining": (
        "{remaining} of {limit} left",
        "Quedan {remaining} de {limit}",
        "{remaining} su {limit} rimanenti",
    ),
    "dash_used": ("{count} used", "{count} usados", "{count} usati"),
    "dash_associations": ("Associations", "Asociaciones", "Associazioni"),
    "dash_bought_plans": ("Bought plans", "Planes comprados", "Piani acquistati"),
    "dash_bought_by": ("Bought by", "Comprado por", "Acquistato da"),
    "dash_csp_contracts": (
        "CSP contracts per customer",
        "Contratos CSP por cliente",
        "Contratti CSP per cliente",
    ),
    "dash_added_by": ("Added by", "Agregado por", "Aggiunto da"),
    "dash_latest": (
        "The latest {shown} of {total} support requests",
        "Las últimas {shown} de {total} solicitudes de soporte técnico",
        "Le ultime {shown} di {total} richieste di supporto",
    ),
    "dash_portal": ("Portal", "Portal", "Portale"),
    "dash_journal": ("Journal", "Registro", "Registro"),
    "dash_any": ("any", "cualquiera", "qualsiasi"),
    "dash_path": ("Path", "Ruta", "Percorso"),
    "dash_limit": ("At most", "Como máximo", "Al massimo"),
    "dash_filter": ("Filter", "Filtrar", "Filtra"),
    "dash_status_filter_hint": (
        "The answer's status, or the refusal's a form post's redirect names (X-Harness-Refusal)",
        "El estado de la respuesta, o el del rechazo que indica la redirección de un formulario "
        "(X-Harness-Refusal)",
        "Lo stato della risposta, o quello del rifiuto indicato dal reindirizzamento di un modulo "
        "(X-Harness-Refusal)",
    ),
    "dash_har_download": (
        "Download the journal as HAR",
        "Descargar el registro como HAR",
        "Scarica il registro come HAR",
    ),
    "dash_journal_count": (
        "{shown} of {total} matching entries, newest first",
        "{shown} de {total} entradas que coinciden, las más recientes primero",
        "{shown} di {total} voci corrispondenti, le più recenti per prime",
    ),
    "dash_journal_dropped": (
        "{count} older entries dropped by the journal budget",
        "{count} entradas anteriores descartadas por el presupuesto del registro",
        "{count} voci precedenti scartate dal budget del registro",
    ),
    "dash_clear_journal": ("Clear the journal", "Vaciar el registro", "Svuota il registro"),
    "dash_fault": ("fault", "fallo", "guasto"),
    "dash_request": ("Request", "Solicitud", "Richiesta"),
    "dash_answer": ("Answer", "Respuesta", "Risposta"),
    "dash_headers": ("Headers ({count})", "Encabezados ({count})", "Intestazioni ({count})"),
    "dash_truncated": (
        "The body had {size} bytes: the journal keeps the first 16 KiB",
        "El cuerpo tenía {size} bytes: el registro guarda los primeros 16 KiB",
        "Il corpo aveva {size} byte: il registro conserva i primi 16 KiB",
    ),
    "dash_faults": ("Fault rules", "Reglas de fallo", "Regole di guasto"),
    "dash_method": ("Method", "Método", "Metodo"),
    "dash_latency": ("Latency (ms)", "Latencia (ms)", "Latenza (ms)"),
    "dash_drop": ("Drop the connection", "Cortar la conexión", "Interrompi la connessione"),
    "dash_times": ("Times", "Veces", "Volte"),
    "dash_probability": ("Probability", "Probabilidad", "Probabilità"),
    "dash_hits": ("Hits", "Aciertos", "Applicazioni"),
    "dash_remove": ("Remove", "Quitar", "Rimuovi"),
    "dash_remove_all": ("Remove every rule", "Quitar todas las reglas", "Rimuovi tutte le regole"),
    "dash_add_fault": ("Add a fault rule", "Agregar una regla de fallo", "Aggiungi una regola di guasto"),
    "dash_fault_body": (
        "Answer body (JSON or text)",
        "Cuerpo de la respuesta (JSON o texto)",
        "Corpo della risposta (JSON o testo)",
    ),
    "dash_fault_headers": (
        "Answer headers (Name: value, one a line)",
        "Encabezados de la respuesta (Nombre: valor, uno por línea)",
        "Intestazioni della risposta (Nome: valore, una per riga)",
    ),
    "dash_add": ("Add", "Agregar", "Aggiungi"),
    "dash_snapshot_reset": ("Snapshot and reset", "Instantánea y restablecimiento", "Snapshot e ripristino"),
    "dash_snapshot_download": ("Download a snapshot", "Descargar una instantánea", "Scarica uno snapshot"),
    "dash_restore_file": ("Snapshot file", "Archivo de instantánea", "File dello snapshot"),
    "dash_restore": ("Restore into this world", "Restaurar en este mundo", "Ripristina in questo mondo"),
    "dash_reset": ("Reset", "Restablecer", "Reimposta"),
    "dash_delete": ("Delete the world", "Eliminar el mundo", "Elimina il mondo"),
    "dash_reset_default": (
        "Reset the default world",
        "Restablecer el mundo predeterminado",
        "Reimposta il mondo predefinito",
    ),
    "dash_reset_hint": (
        "Reset goes back to the seed document, or to the snapshot last restored; the journal and fault "
        "rules start empty. The default world cannot be deleted: it is reset.",
        "Restablecer vuelve al documento de semilla, o a la última instantánea restaurada; el registro y "
        "las reglas de fallo empiezan vacíos. El mundo predeterminado no se puede eliminar: se restablece.",
        "Reimposta torna al documento seed, o all'ultimo snapshot ripristinato; il registro e le regole di "
        "guasto ripartono vuoti. Il mondo predefinito non si può eliminare: viene reimpostato.",
    ),
    "dash_none": ("None", "Ninguno", "Nessuno"),
    "dash_token_title": ("Control token", "Token de control", "Token di controllo"),
    "dash_token_hint_given": (
        "This server was started with a control token (--control-token): its dashboard needs that token.",
        "Este servidor se inició con un token de control (--control-token): su panel necesita ese token.",
        "Questo server è stato avviato con un token di controllo (--control-token): la sua dashboard "
        "richiede quel token.",
    ),
    "dash_token_hint": (
        "This server does not listen on loopback only: its dashboard needs the control token that "
        "portal-harness serve printed (or was given with --control-token).",
        "Este servidor no escucha solo en la interfaz de bucle invertido: su panel necesita el token de "
        "control que imprimió portal-harness serve (o que recibió con --control-token).",
        "Questo server non è in ascolto solo in loopback: la sua dashboard richiede il token di controllo "
        "stampato da portal-harness serve (o fornito con --control-token).",
    ),
    "dash_token": ("Token", "Token", "Token"),
    "dash_unlock": ("Open the dashboard", "Abrir el panel", "Apri la dashboard"),
    "dash_lock": ("Forget the token", "Olvidar el token", "Dimentica il token"),
    # what a dashboard form did (its flash message after the redirect)
    "dash_done_created": ("World {world} created", "Mundo {world} creado", "Mondo {world} creato"),
    "dash_done_clock": (
        "The clock now says {now}",
        "El reloj marca ahora {now}",
        "L'orologio segna ora {now}",
    ),
    "dash_done_settings": ("Settings saved", "Configuración guardada", "Impostazioni salvate"),
    "dash_done_fault_added": (
        "Fault rule {fault} added",
        "Regla de fallo {fault} agregada",
        "Regola di guasto {fault} aggiunta",
    ),
    "dash_done_fault_removed": (
        "Fault rule {fault} removed",
        "Regla de fallo {fault} quitada",
        "Regola di guasto {fault} rimossa",
    ),
    "dash_done_faults_cleared": (
        "Every fault rule removed",
        "Todas las reglas de fallo quitadas",
        "Tutte le regole di guasto rimosse",
    ),
    "dash_done_journal_cleared": ("Journal cleared", "Registro vaciado", "Registro svuotato"),
    "dash_done_reset": ("World {world} reset", "Mundo {world} restablecido", "Mondo {world} reimpostato"),
    "dash_done_deleted": ("World {world} deleted", "Mundo {world} eliminado", "Mondo {world} eliminato"),
    "dash_done_default_reset": (
        "The default world always exists: it was reset",
        "El mundo predeterminado siempre existe: se restableció",
        "Il mondo predefinito esiste sempre: è stato reimpostato",
    ),
    "dash_done_restored": (
        "Snapshot restored into world {world}",
        "Instantánea restaurada en el mundo {world}",
        "Snapshot ripristinato nel mondo {world}",
    ),
    "dash_done_locked": (
        "The dashboard forgot the control token",
        "El panel olvidó el token de control",
        "La dashboard ha dimenticato il token di controllo",
    ),
    # --- labels every portal uses
    "product": ("Product", "Producto", "Prodotto"),
    "description": ("Description", "Descripción", "Descrizione"),
    "severity": ("Severity", "Gravedad", "Gravità"),
    "create": ("Create", "Crear", "Crea"),
    "created": ("Created", "Creada", "Creata"),
    "status": ("Status", "Estado", "Stato"),
    "plan": ("Plan", "Plan", "Piano"),
    "support_requests": ("Support requests", "Solicitudes de soporte técnico", "Richieste di supporto"),
    # --- refusals (the project's wording) ----------------------------------------------------------
    "account_not_found": (
        "No account {upn} exists in this world",
        "No existe la cuenta {upn} en este mundo",
        "Nessun account {upn} esiste in questo mondo",
    ),
    "partner_account_required": (
        "Partner Center needs a work account (AAD) of a partner organisation; {upn} is not one",
        "Centro de partners necesita una cuenta profesional (AAD) de una organización asociada; "
        "{upn} no lo es",
        "Partner Center richiede un account aziendale (AAD) di un'organizzazione partner; {upn} non lo è",
    ),
    "role_required": (
        "This action needs one of these roles: {roles}",
        "Esta acción necesita uno de estos roles: {roles}",
        "Questa azione richiede uno di questi ruoli: {roles}",
    ),
    "activation_pending": (
        "Activation in progress: the Access ID and Contract ID will be shown from {ready_at}",
        "Activación en curso: el identificador de acceso y el identificador de contrato se mostrarán "
        "a partir del {ready_at}",
        "Attivazione in corso: l'ID di accesso e l'ID contratto verranno visualizzati dal {ready_at}",
    ),
    "already_activated": (
        "The technical benefits of {organisation} are already activated",
        "Las ventajas técnicas de {organisation} ya están activadas",
        "I vantaggi tecnici di {organisation} sono già attivati",
    ),
    "benefits_not_activated": (
        "The technical benefits must be activated in Partner Center before they can be used",
        "Las ventajas de soporte técnico deben activarse en el Centro de partners antes de poder usarlas",
        "I vantaggi del supporto tecnico devono essere attivati in Partner Center prima di poterli usare",
    ),
    "contract_not_found": (
        "No support contract has this Access ID and Contract ID; check both on the Technical benefits "
        "page in Partner Center",
        "Ningún contrato de soporte técnico tiene este identificador de acceso y este identificador de "
        "contrato; compruebe ambos en la página Ventajas técnicas del Centro de partners",
        "Nessun contratto di supporto ha questo ID di accesso e questo ID contratto; verificarli nella "
        "pagina Vantaggi tecnici di Partner Center",
    ),
    "contract_expired": (
        "The support contract {contract_id} expired on {end}",
        "El contrato de soporte técnico {contract_id} expiró el {end}",
        "Il contratto di supporto {contract_id} è scaduto il {end}",
    ),
    "no_incidents_remaining": (
        "No incidents remain on the support contract {contract_id}",
        "No quedan incidentes en el contrato de soporte técnico {contract_id}",
        "Non sono rimasti eventi imprevisti nel contratto di supporto {contract_id}",
    ),
    "not_eligible_for_cloud_support": (
        "This contract includes no Signature Cloud Support (Action Pack): use it for on-premises "
        "products in Support for Business",
        "Este contrato no incluye Soporte técnico Signature Cloud (Action Pack): úselo para productos "
        "locales en Soporte técnico para empresas",
        "Questo contratto non include Signature Cloud Support (Action Pack): usarlo per i prodotti "
        "locali in Supporto per le aziende",
    ),
    "already_linked": (
        "This contract is already linked to your account: there is nothing to link, create a new "
        "support request with + New support request",
        "Este contrato ya está vinculado a su cuenta: no hay nada que vincular, cree una solicitud con "
        "+ New Support Request",
        "Questo contratto è già collegato al proprio account: non c'è nulla da collegare, creare una "
        "richiesta con + Nuovo Richiesta di supporto",
    ),
    "purchase_new_plan": (
        "This contract is already linked to your account but has expired or has no incidents left: "
        "purchase a new support plan to get Azure incidents",
        "Este contrato ya está vinculado a su cuenta pero ha expirado o no le quedan incidentes: "
        "adquiera un nuevo plan de soporte técnico para obtener incidentes de Azure",
        "Questo contratto è già collegato al proprio account ma è scaduto o non ha eventi imprevisti "
        "rimanenti: acquistare un nuovo piano di supporto per ottenere eventi imprevisti di Azure",
    ),
    "product_not_found": (
        "Unknown product {product}",
        "Producto desconocido {product}",
        "Prodotto sconosciuto {product}",
    ),
    "product_older_than_n1": (
        "{product} is older than n-1, not covered: Microsoft product support covers the current and "
        "the previous version of a product only (n-1 policy: {covered})",
        "{product} es anterior a n-1 y no está cubierto: el soporte técnico de productos de Microsoft "
        "solo cubre la versión actual y la anterior de un producto (directiva n-1: {covered})",
        "{product} è precedente a n-1 e non è coperto: il supporto tecnico Microsoft copre solo la "
        "versione corrente e quella precedente di un prodotto (criterio n-1: {covered})",
    ),
    "product_not_released": (
        "{product} is not released yet: its lifecycle starts on {released}",
        "{product} aún no se ha publicado: su ciclo de vida empieza el {released}",
        "{product} non è ancora stato rilasciato: il suo ciclo di vita inizia il {released}",
    ),
    "no_support_plan": (
        "No support plan of this account covers this request: add a contract or purchase a plan first",
        "Ningún plan de soporte técnico de esta cuenta cubre esta solicitud: agregue un contrato o "
        "adquiera un plan primero",
        "Nessun piano di supporto di questo account copre questa richiesta: aggiungere un contratto o "
        "acquistare un piano",
    ),
    "plan_not_found": (
        "Unknown support plan {plan}",
        "Plan de soporte técnico desconocido {plan}",
        "Piano di supporto sconosciuto {plan}",
    ),
    "plan_not_available": (
        "{name} ({plan}) covers cloud products only: it cannot be used for on-premises products in "
        "Support for Business",
        "{name} ({plan}) solo cubre productos en la nube: no se puede usar para productos locales en "
        "Soporte técnico para empresas",
        "{name} ({plan}) copre solo i prodotti cloud: non può essere usato per i prodotti locali in "
        "Supporto per le aziende",
    ),
    "request_not_found": (
        "Unknown support request {request_id}",
        "Solicitud de soporte técnico desconocida {request_id}",
        "Richiesta di supporto sconosciuta {request_id}",
    ),
    "request_name_taken": (
        "A support request named {name} already exists",
        "Ya existe una solicitud de soporte técnico llamada {name}",
        "Esiste già una richiesta di supporto denominata {name}",
    ),
    "communication_not_found": (
        "No message {name} on this support request",
        "No hay ningún mensaje {name} en esta solicitud de soporte técnico",
        "Nessun messaggio {name} in questa richiesta di supporto",
    ),
    "communication_name_taken": (
        "A message named {name} already exists on this support request",
        "Ya existe un mensaje llamado {name} en esta solicitud de soporte técnico",
        "Esiste già un messaggio denominato {name} in questa richiesta di supporto",
    ),
    "operation_not_found": (
        "No operation {operation} for this account",
        "No hay ninguna operación {operation} para esta cuenta",
        "Nessuna operazione {operation} per questo account",
    ),
    "partner_not_found": (  # Partner Center's own text (its documentation, "Get an MPN profile")
        "Partner Organization with partner_id {mpn_id} could not be found",
        "No se encontró la organización de partner con partner_id {mpn_id}",
        "Impossibile trovare l'organizzazione partner con partner_id {mpn_id}",
    ),
    "name_not_available": (
        "Name not available",
        "Nombre no disponible",
        "Nome non disponibile",
    ),
    "file_workspace_not_found": (
        "No file workspace {workspace} for this account (or it has expired)",
        "No hay ningún área de trabajo de archivos {workspace} para esta cuenta (o ha caducado)",
        "Nessuna area di lavoro file {workspace} per questo account (o è scaduta)",
    ),
    "file_not_found": (
        "No file {name} in the file workspace {workspace}",
        "No hay ningún archivo {name} en el área de trabajo de archivos {workspace}",
        "Nessun file {name} nell'area di lavoro file {workspace}",
    ),
    "chat_transcript_not_found": (
        "No chat transcript {name} on this support request",
        "No hay ninguna transcripción de chat {name} en esta solicitud de soporte técnico",
        "Nessuna trascrizione di chat {name} in questa richiesta di supporto",
    ),
    "problem_classification_not_found": (
        "Unknown problem classification {classification} for this service",
        "Clasificación de problema desconocida {classification} para este servicio",
        "Classificazione del problema sconosciuta {classification} per questo servizio",
    ),
    "support_topic_not_found": (
        "Unknown support topic {topic}",
        "Tema de soporte técnico desconocido {topic}",
        "Argomento di supporto sconosciuto {topic}",
    ),
    "offer_not_found": (
        "Unknown support plan offer {offer}; choose one of: {offers}",
        "Oferta de plan de soporte técnico desconocida {offer}; elija una de: {offers}",
        "Offerta di piano di supporto sconosciuta {offer}; sceglierne una tra: {offers}",
    ),
    "customer_not_found": (
        "No customer {customer} for this partner",
        "No hay ningún cliente {customer} para este asociado",
        "Nessun cliente {customer} per questo partner",
    ),
    "workload_not_found": (
        "Unknown workload {workload}; choose one of: {workloads}",
        "Carga de trabajo desconocida {workload}; elija una de: {workloads}",
        "Carico di lavoro sconosciuto {workload}; sceglierne uno tra: {workloads}",
    ),
    "authentication_required": (
        "Sign in first: send Authorization: Bearer <token> naming an account of the world ({detail})",
        "Inicie sesión primero: envíe Authorization: Bearer <token> con una cuenta del mundo ({detail})",
        "Accedere prima: inviare Authorization: Bearer <token> con un account del mondo ({detail})",
    ),
    "payload_too_large": (
        "The request body is over {limit} bytes",
        "El cuerpo de la solicitud supera los {limit} bytes",
        "Il corpo della richiesta supera i {limit} byte",
    ),
    "route_not_found": (
        "Nothing here: {path}",
        "No hay nada aquí: {path}",
        "Non c'è niente qui: {path}",
    ),
    "method_not_allowed": (
        "{method} is not allowed on {path}",
        "{method} no está permitido en {path}",
        "{method} non è consentito su {path}",
    ),
    "internal_error": (
        "The emulator failed ({kind}): this is a bug of portal-harness, not a portal's answer",
        "El emulador falló ({kind}): es un error de portal-harness, no una respuesta de un portal",
        "L'emulatore ha avuto un errore ({kind}): è un bug di portal-harness, non una risposta di un portale",
    ),
    "invalid_input": ("Invalid input: {detail}", "Entrada no válida: {detail}", "Input non valido: {detail}"),
    "invalid_seed": (
        "Invalid seed document: {detail}",
        "Documento de semilla no válido: {detail}",
        "Documento seed non valido: {detail}",
    ),
    "world_not_found": ("No world named {world}", "No hay ningún mundo {world}", "Nessun mondo {world}"),
    "world_exists": (
        "A world named {world} already exists",
        "Ya existe un mundo {world}",
        "Esiste già un mondo {world}",
    ),
    "harness_token_required": (
        "The control API needs Authorization: Bearer <token> or X-Harness-Token: <token>",
        "La API de control necesita Authorization: Bearer <token> o X-Harness-Token: <token>",
        "L'API di controllo richiede Authorization: Bearer <token> o X-Harness-Token: <token>",
    ),
    "fault_not_found": (
        "No fault rule {fault} in world {world}",
        "No hay ninguna regla de fallo {fault} en el mundo {world}",
        "Nessuna regola di guasto {fault} nel mondo {world}",
    ),
    "harness_token_wrong": (
        "That is not this server's control token",
        "Ese no es el token de control de este servidor",
        "Questo non è il token di controllo di questo server",
    ),
    "dashboard_form_expired": (
        "This form did not come from this dashboard's session (or the session expired): open the page "
        "again and send it from there",
        "Este formulario no procede de la sesión de este panel (o la sesión expiró): vuelva a abrir la "
        "página y envíelo desde allí",
        "Questo modulo non proviene dalla sessione di questa dashboard (o la sessione è scaduta): "
        "riaprire la pagina e inviarlo da lì",
    ),
}


def normalise_language(tag: str | None) -> str | None:
    """Map a language tag (``es``, ``it-it``, ``en_GB``) to a catalog language, or None."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    for lang in LANGUAGES:
        if lang.split("-")[0] == primary:
            return lang
    return None


def negotiate(accept_language: str | None) -> str:
    """Pick the catalog language an ``Accept-Language`` header prefers most (q-values honoured)."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        lang = normalise_language(tag)
        if lang and quality > 0:
            ranked.append((-quality, index, lang))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


#: The input layer's reasons (``portals.backend.inputs``, ``clock``), as written after a field's
#: path in a ``detail`` ("title: is required"), and their es-ES and it-IT words; tried in order
#: (longer phrases first). A reason not listed stays in English; field paths and values stay as
#: given.
DETAIL_PHRASES: tuple[tuple[str, str, str], ...] = (
    ("is required", "es obligatorio", "è obbligatorio"),
    ("is not a known field", "no es un campo conocido", "non è un campo noto"),
    (
        "must be an ISO-8601 duration such as P3D, or a number of days",
        "debe ser una duración ISO-8601, como P3D, o un número de días",
        "deve essere una durata ISO-8601, come P3D, o un numero di giorni",
    ),
    (
        "must be an ISO-8601 duration such as P3D or PT12H",
        "debe ser una duración ISO-8601, como P3D o PT12H",
        "deve essere una durata ISO-8601, come P3D o PT12H",
    ),
    (
        "is not an ISO-8601 duration such as P3D or PT12H",
        "no es una duración ISO-8601, como P3D o PT12H",
        "non è una durata ISO-8601, come P3D o PT12H",
    ),
    (
        "must be an ISO-8601 date or time such as 2021-03-04",
        "debe ser una fecha u hora ISO-8601, como 2021-03-04",
        "deve essere una data o un'ora ISO-8601, come 2021-03-04",
    ),
    (
        "is not an ISO-8601 date or time such as 2021-03-04",
        "no es una fecha u hora ISO-8601, como 2021-03-04",
        "non è una data o un'ora ISO-8601, come 2021-03-04",
    ),
    ("is not a finite number of days", "no es un número finito de días", "non è un numero finito di giorni"),
    (
        r"must be at most (\d+) characters",
        r"debe tener como máximo \1 caracteres",
        r"deve avere al massimo \1 caratteri",
    ),
    (
        r"must be at least (\d+) characters",
        r"debe tener al menos \1 caracteres",
        r"deve avere almeno \1 caratteri",
    ),
    (
        r"must have at most (\d+) items",
        r"debe tener como máximo \1 elementos",
        r"deve avere al massimo \1 elementi",
    ),
    ("must be one of ", "debe ser uno de estos valores: ", "deve essere uno di questi valori: "),
    ("must be at most 100 years", "debe ser como máximo 100 años", "deve essere al massimo 100 anni"),
    ("must be zero or more", "debe ser cero o más", "deve essere zero o più"),
    (r"must be (-?[\d.]+) or more", r"debe ser \1 o más", r"deve essere \1 o più"),
    (r"must be (-?[\d.]+) or less", r"debe ser \1 o menos", r"deve essere \1 o meno"),
    ("must be a number between 0 and 1", "debe ser un número entre 0 y 1", "deve essere un numero tra 0 e 1"),
    ("must be a finite number", "debe ser un número finito", "deve essere un numero finito"),
    ("must be a string", "debe ser un texto", "deve essere un testo"),
    ("must be an integer", "debe ser un número entero", "deve essere un numero intero"),
    ("must be a number", "debe ser un número", "deve essere un numero"),
    ("must be true or false", "debe ser true o false", "deve essere true o false"),
    ("must be an object", "debe ser un objeto", "deve essere un oggetto"),
    ("must be a list", "debe ser una lista", "deve essere un elenco"),
    ("must not be empty", "no debe estar vacío", "non deve essere vuoto"),
    (r", not (?=['\"])", ", no ", ", non "),
)
_DETAIL_PATTERNS = tuple(
    (re.compile(english if "\\" in english or "(" in english else re.escape(english)), spanish, italian)
    for english, spanish, italian in DETAIL_PHRASES
)
#: Catalog keys whose ``detail`` parameter is the input layer's text (``DETAIL_PHRASES``).
DETAILED_KEYS = frozenset({"invalid_input", "invalid_seed"})


def localise_detail(detail: str, lang: str) -> str:
    """``detail`` (the input layer's English reasons, ``path: why; path: why``) with the reasons
    ``DETAIL_PHRASES`` lists in ``lang``'s words; en-US (and any other language) as given."""
    if lang not in ("es-ES", "it-IT"):
        return detail
    column = 1 if lang == "es-ES" else 2
    for pattern, *words in _DETAIL_PATTERNS:
        detail = pattern.sub(words[column - 1], detail)
    return detail


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text of ``key`` in ``lang``; list parameters of catalog keys are translated and joined;
    the ``detail`` of an input refusal (``DETAILED_KEYS``) has its reasons in ``lang``."""
    texts = CATALOG[key]
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0
    rendered = {name: _render_param(value, lang) for name, value in params.items()}
    if key in DETAILED_KEYS and "detail" in rendered:
        rendered["detail"] = localise_detail(rendered["detail"], lang)
    return texts[index].format(**rendered) if rendered else texts[index]


def _render_param(value: Any, lang: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return ", ".join(translate(v, lang) if v in CATALOG else str(v) for v in value)
    return str(value)
