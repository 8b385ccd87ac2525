// Package report writes the CLI's reports of a whole-file analysis: the
// readable one and the JSON document, findings worded by package explain.
// One renderer per format, each with a golden test.
package report
