# language: it
Funzionalità: Vantaggi del supporto tecnico (it-IT)
  L'edizione italiana dell'articolo: dopo l'attivazione occorre attendere alcuni giorni prima che
  vengano visualizzati l'ID di accesso e l'ID contratto; il portale di Azure può mostrare l'errore
  "L'ID di accesso è già associato...", che non è valido e deve essere ignorato.

  Contesto:
    Dato che "Contoso" è un partner Gold con la competenza "Data Analytics"
    E che "admin@contoso.com" è amministratore globale di "Contoso"
    E che "utente@contoso.com" è un utente di "Contoso"
    E che i portali parlano italiano

  @R-PC-07 @D2 @D10
  Scenario: Attendere alcuni giorni per l'elaborazione della richiesta di attivazione
    Dato che l'attivazione richiede 3 giorni
    Quando "admin@contoso.com" seleziona il pulsante Attiva
    Allora l'attivazione è in corso
    Quando passano 3 giorni
    Allora "utente@contoso.com" vede l'ID di accesso e l'ID contratto

  @R-EN-03
  Scenario: Le competenze cloud sono nominate come nell'articolo
    Quando "utente@contoso.com" apre la pagina Vantaggi tecnici
    Allora la pagina dice "Le competenze cloud includono: Competenza di sicurezza, Cloud Business Applications, Piattaforma cloud, Produttività cloud, Gestione della mobilità aziendale, Soluzioni cloud di piccole e medie dimensioni."

  @R-PC-02
  Scenario: Un account associato solo a CSP
    Dato che "Adatum" è un partner solo CSP
    E che "agente@adatum.com" è agente amministratore di "Adatum"
    Quando "agente@adatum.com" apre la pagina Vantaggi tecnici
    Allora viene visualizzato il messaggio "Non si è autorizzati per questa azione"
    E la pagina aggiunge: "È necessario avere un account MPN associato."

  @R-PC-04
  Scenario: Nessuna offerta di appartenenza attiva
    Dato che "Litware" è un partner MPN senza offerta di appartenenza
    E che "admin@litware.com" è amministratore globale di "Litware"
    Quando "admin@litware.com" apre la pagina Vantaggi tecnici
    Allora viene visualizzato il messaggio "Sembra che non ci siano ancora vantaggi"
    E la pagina aggiunge: "Se l'azienda ha offerte di appartenenza attive ma non è possibile vederle, è possibile che l'accesso sia stato eseguito usando l'account errato."
    E la pagina aggiunge: "Per controllare l'account, selezionare l'icona Account in alto a destra nella pagina e selezionare Accedi con un altro account (se necessario)."
    E la pagina offre "Accedi con un altro account"
    Quando segue il collegamento "Accedi con un altro account" nel menu dell'account
    E sceglie l'account "admin@contoso.com" nella pagina di accesso
    Allora la pagina mostra a "admin@contoso.com" i vantaggi tecnici dell'offerta Gold

  @R-AZ-05 @R-AZ-07
  Scenario: Il pacchetto Signature 10 non ha eventi imprevisti rimanenti
    Dato che i vantaggi tecnici di "Contoso" sono attivi
    E che "utente@contoso.com" ha collegato i vantaggi del supporto di "Contoso" nel portale di Azure
    Quando "utente@contoso.com" crea 10 richieste di supporto per "App Service" nel portale di Azure
    Allora "+ Nuovo Richiesta di supporto" non mostra nessun piano di supporto
    Quando "utente@contoso.com" collega i vantaggi del supporto di "Contoso" nel portale di Azure
    Allora viene visualizzato il messaggio "Questo ID di accesso è già associato a un account. Contattare il Technical Account Manager per ottenere un nuovo ID di accesso"
