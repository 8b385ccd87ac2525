# The jq baseline of make bench: the e-mails of the users an onboard batch
# rejected, as an admin would select them by hand from a HAR file.
# POST …/users/onboard (trailing slash or not, query ignored); the response
# body is JSON, base64-encoded when content.encoding says so; current shape
# is an array of per-user results, the older one {userResponse:[…]} with the
# status as a string.
.log.entries[]
| select(.request.method == "POST")
| select(.request.url | split("?")[0] | test("/users/onboard/?$"))
| .response.content as $c
| ($c.text // "")
| (if $c.encoding == "base64" then @base64d else . end)
| (fromjson? // null)
| (if type == "array" then .[]
   elif type == "object" then (.userResponse // [])[]
   else empty end)
| select(type == "object")
| select(((.status // .httpStatus) | tonumber? // 0) >= 400)
| .email
