package engine

// The licence API's codes that a Control Hub admin can act on, one rule each.

// licenseIncompatibleCalling: 400404 (Calling Professional with Standard),
// 400406 (Calling Standard with Attendant Console), 400407 (Calling
// Standard with CX Essentials): licences that exclude each other.
var licenseIncompatibleCalling = &Rule{
	ID: "license/incompatible-calling-combination", Severity: Error, Since: "0.1.0", Source: licenseAPISource,
	Links: []string{helpEditLicenses},
	Scope: inLicenseScope,
	Check: licenseCall(withCode("400404", "400406", "400407")),
}

// licenseAttendantConsole: 400408, Attendant Console needs Calling
// Professional first.
var licenseAttendantConsole = &Rule{
	ID: "license/attendant-console-needs-professional", Severity: Error, Since: "0.1.0", Source: licenseAPISource,
	Links: []string{helpEditLicenses},
	Scope: inLicenseScope,
	Check: licenseCall(withCode("400408")),
}

// licenseCallingProperties: 400411, each Webex Calling licence needs its own
// calling properties (location, number or extension).
var licenseCallingProperties = &Rule{
	ID: "license/calling-properties-required", Severity: Error, Since: "0.1.0", Source: licenseAPISource,
	Links: []string{helpEditLicenses},
	Scope: inLicenseScope,
	Check: licenseCall(withCode("400411")),
}

// licenseProfessionalToStandard: 400112, a Calling Professional user cannot
// be moved down to Standard.
var licenseProfessionalToStandard = &Rule{
	ID: "license/professional-to-standard", Severity: Error, Since: "0.1.0", Source: licenseAPISource,
	Links: []string{helpEditLicenses},
	Scope: inLicenseScope,
	Check: licenseCall(withCode("400112")),
}

// licenseNotRecognized: 400000, the licence ID is not one of the org's
// (an expired subscription, or a stale page).
var licenseNotRecognized = &Rule{
	ID: "license/not-recognized", Severity: Error, Since: "0.1.0", Source: licenseAPISource,
	Links: []string{helpEditLicenses},
	Scope: inLicenseScope,
	Check: licenseCall(withCode("400000")),
}
