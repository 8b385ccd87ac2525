// Package version holds Hub Doctor's release version, shared by the CLI, the
// engine's export stamps and the extension manifest (a test keeps them equal).
package version

// Version is the release version.
const Version = "0.1.0"
