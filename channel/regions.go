package channel

import "strings"

// azureRegions are the programmatic names of the Azure regions, public and
// sovereign (reference/azure-regions.md).
var azureRegions = map[string]bool{}

func init() {
	for _, r := range strings.Fields(`
		australiacentral australiacentral2 australiaeast australiasoutheast austriaeast
		belgiumcentral brazilsouth brazilsoutheast canadacentral canadaeast centralindia
		centralus chilecentral denmarkeast eastasia eastus eastus2 francecentral
		francesouth germanynorth germanywestcentral indonesiacentral israelcentral
		italynorth japaneast japanwest jioindiacentral jioindiawest koreacentral
		koreasouth malaysiasouth malaysiawest mexicocentral newzealandnorth
		northcentralus northeurope norwayeast norwaywest polandcentral qatarcentral
		southafricanorth southafricawest southcentralus southeastasia southindia
		spaincentral swedencentral swedensouth switzerlandnorth switzerlandwest
		taiwannorth taiwannorthwest uaecentral uaenorth uksouth ukwest westcentralus
		westeurope westindia westus westus2 westus3
		usgovarizona usgovtexas usgovvirginia usdodcentral usdodeast
		chinaeast chinaeast2 chinaeast3 chinanorth chinanorth2 chinanorth3`) {
		azureRegions[r] = true
	}
}

// NormalizeRegion returns the programmatic form of an Azure region name as
// Azure compares them: lower case without spaces, so "West Europe",
// "WestEurope" and "westeurope" are one region.
func NormalizeRegion(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, " ", ""))
}

// KnownRegion reports whether name (in any case, with or without spaces)
// is an Azure region. A region only orders the regional rollout
// ([Wave]), so an unknown one still runs; callers warn about it.
func KnownRegion(name string) bool { return azureRegions[NormalizeRegion(name)] }
