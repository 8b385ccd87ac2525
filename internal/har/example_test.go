package har_test

import (
	"fmt"
	"io"
	"strings"

	"hubdoctor/internal/har"
)

// ExampleScanner streams a small HAR: members and entries come one at a
// time, so only the current entry is held in memory; PeekRequest decides
// cheaply whether an entry deserves ParseEntry.
func ExampleScanner() {
	const file = `{"log": {
  "version": "1.2",
  "entries": [
    {"request": {"method": "GET", "url": "https://admin.webex.com/users"},
     "response": {"status": 200, "content": {"mimeType": "text/html; charset=utf-8"}}},
    {"request": {"method": "POST", "url": "https://license-a.wbx2.com/license/api/v1/organization/o/users/onboard/"},
     "response": {"status": 200, "content": {"mimeType": "application/json", "size": 21,
       "text": "[{\"status\":400}]"}}}
  ]
}}
trailing`
	sc := har.NewScanner(strings.NewReader(file), "session.har")
	for {
		it, err := sc.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		if it.Kind == har.Member {
			fmt.Printf("member %s = %s\n", it.Key, it.Raw)
			continue
		}
		req := har.PeekRequest(it.Raw)
		fmt.Printf("entry %d: %s %s %d %s\n", it.Index, req.Method, req.Path(), req.Status, req.MimeType)
		if req.Method == "POST" {
			e, err := har.ParseEntry(it.Raw, it.Index)
			if err != nil {
				fmt.Println("error:", err)
				continue
			}
			fmt.Printf("  body %s, truncated: %v\n", e.ResponseBody, e.BodyTruncated)
		}
	}
	fmt.Println("entries:", sc.Entries())
	// Output:
	// member version = "1.2"
	// entry 0: GET /users 200 text/html
	// entry 1: POST /license/api/v1/organization/o/users/onboard/ 200 application/json
	//   body [{"status":400}], truncated: true
	// error: session.har: byte 461: unexpected 't' after the end of the HAR
	// entries: 2
}
