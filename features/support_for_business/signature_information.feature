Feature: The partner's Signature information under unavailable support plans
  Expanding "Would you like to see unavailable support plans?" shows the partner support contract
  that cannot be used for this request, with the partner's Signature information: the membership
  offer and its Signature Cloud Support, unlimited for a cloud competency, a 10-pack (Gold) or
  5-pack (Silver) for other competencies, none for Action Pack. Signature Cloud Support itself is
  used for cloud products in the Azure portal.

  @R-SFB-08 @R-EN-02 @R-AZ-03
  Scenario Outline: The Signature information of <partner>
    Given "Northwind" is <partner>
    And "admin@northwind.com" is a Global admin of "Northwind"
    And the technical benefits of "Northwind" are active
    And "engineer@outlook.com" is a personal Microsoft account
    And "engineer@outlook.com" has added the contract of "Northwind" in Support for Business
    When "engineer@outlook.com" opens step 2 for "Exchange Server 2010"
    Then step 2 shows no available support plan
    And the partner support contract is only under unavailable support plans, for a product older than n-1
    And the Signature information shows the <offer> offer with <signature>

    Examples:
      | partner                                      | offer       | signature                                  |
      | a Gold partner with the "Security" competency | Gold        | unlimited Signature Cloud Support          |
      | a Gold partner                               | Gold        | a Signature 10-pack with 10 incidents left |
      | a Silver partner                             | Silver      | a Signature 5-pack with 5 incidents left   |
      | an Action Pack partner                       | Action Pack | no Signature Cloud Support                 |

  @R-SFB-08 @R-SFB-05 @R-AZ-01
  Scenario: The Signature information counts the cloud incidents used in the Azure portal
    Given "Fabrikam" is a Gold partner with the "Data Analytics" competency
    And "admin@fabrikam.com" is a Global admin of "Fabrikam"
    And the technical benefits of "Fabrikam" are active
    And "admin@fabrikam.com" has linked the support benefits of "Fabrikam" in the Azure portal
    When "admin@fabrikam.com" creates 3 new support requests for "App Service" in the Azure portal
    And "admin@fabrikam.com" opens step 2 for "SharePoint Server 2010"
    Then the partner support contract is only under unavailable support plans, for a product older than n-1
    And the Signature information shows the Gold offer with a Signature 10-pack with 7 incidents left
