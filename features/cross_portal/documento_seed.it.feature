# language: it
Funzionalità: Un mondo in un certo stato, da un documento seed (it-IT)
  Il documento seed descrive anche lo stato del mondo (D13): l'attivazione richiesta in una certa
  data, il pacchetto Signature 10 senza eventi imprevisti rimanenti. Dopo l'attivazione occorre
  attendere alcuni giorni prima che vengano visualizzati l'ID di accesso e l'ID contratto.

  Contesto:
    Dato che "Contoso" è un partner Gold con la competenza "Data Analytics"
    E che "admin@contoso.com" è amministratore globale di "Contoso"
    E che "utente@contoso.com" è un utente di "Contoso"
    E che i portali parlano italiano

  @D13 @R-PC-07 @D2 @D10
  Scenario: Un'attivazione richiesta il 3 marzo diventa attiva quando passano i giorni
    Dato che il mondo è descritto da questo documento seed:
      """yaml
      world: {start: 2021-03-04T09:00:00Z, activation_delay: P3D}
      organisations:
        - id: contoso
          benefits: {requested: 2021-03-03}
      """
    Quando "utente@contoso.com" apre la pagina Vantaggi tecnici
    Allora l'attivazione è in corso
    Quando passano 2 giorni
    Allora "utente@contoso.com" vede l'ID di accesso e l'ID contratto

  @D13 @R-AZ-05 @R-AZ-07
  Scenario: Il pacchetto Signature 10 non ha eventi imprevisti rimanenti
    Dato che il mondo è descritto da questo documento seed:
      """yaml
      world: {start: 2021-03-10}
      organisations:
        - id: contoso
          benefits: {activated: 2021-03-01, used: {cloud: 10}}
      accounts:
        - upn: utente@contoso.com
          contracts: [{contract: contoso, added_in: azure, at: 2021-03-02}]
      """
    Quando "utente@contoso.com" collega i vantaggi del supporto di "Contoso" nel portale di Azure
    Allora viene visualizzato il messaggio "Questo ID di accesso è già associato a un account. Contattare il Technical Account Manager per ottenere un nuovo ID di accesso"
    E "+ Nuovo Richiesta di supporto" non mostra nessun piano di supporto
