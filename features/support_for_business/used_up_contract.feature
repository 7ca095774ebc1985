Feature: Using the on-premises incidents until none remain
  The contract stays associated with the account until it expires or no incidents remain; then it
  shows only under "Would you like to see unavailable support plans?".

  Background:
    Given "Tailspin" is an Action Pack partner
    And "admin@tailspin.com" is a Global admin of "Tailspin"
    And the technical benefits of "Tailspin" are active
    And "engineer@outlook.com" is a personal Microsoft account
    And "engineer@outlook.com" has added the contract of "Tailspin" in Support for Business

  @R-SFB-02 @R-SFB-08 @D7
  Scenario: Using the incidents until none remain
    When "engineer@outlook.com" creates 9 support requests for "Windows 10" in Support for Business
    Then step 2 for "Windows 10" shows the partner support contract with 1 remaining incident
    When "engineer@outlook.com" creates a support request for "Windows 10" in Support for Business
    Then step 2 for "Windows 10" shows no available support plan
    And the partner support contract is only under unavailable support plans, with no incidents left
    When "engineer@outlook.com" creates a support request for "Windows 10" in Support for Business
    Then the request is refused with "NoIncidentsRemaining"
    And the refusal names the reason "exhaustion"

  @R-SFB-08 @R-AZ-03 @D5
  Scenario: A used-up Action Pack contract is still of no use in Azure
    When "engineer@outlook.com" creates 10 support requests for "Windows 10" in Support for Business
    And "engineer@outlook.com" links the support benefits of "Tailspin" in the Azure portal
    Then the request is refused with "NotEligibleForCloudSupport"
    When "engineer@outlook.com" opens step 2 for "Windows 10"
    Then the partner support contract is only under unavailable support plans, with no incidents left
