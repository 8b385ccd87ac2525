package engine

// licensePartialSuccess: HTTP 206, some licences were applied and some not,
// for a reason no coded rule explained.
var licensePartialSuccess = &Rule{
	ID: "license/partial-success", Severity: Warning, Since: "0.1.0", Source: licenseAPISource,
	Links: []string{helpEditLicenses},
	Scope: inLicenseScope,
	Check: licenseCall(licenseStatus(func(s int) bool { return s == 206 })),
}

// licenseFailed is the family's catch-all, run last: the call refused (4xx)
// or broken (5xx) for a reason no coded rule explained.
var licenseFailed = &Rule{
	ID: "license/failed", Severity: Error, Since: "0.1.0", Source: licenseAPISource,
	Links: []string{helpEditLicenses, helpHAR},
	Scope: inLicenseScope,
	Check: licenseCall(licenseStatus(func(s int) bool { return s >= 400 })),
}
