package engine

// ssoState is what the SSO family remembers across entries.
type ssoState struct{}
