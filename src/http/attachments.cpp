// Attachments from either way in (API and page): the office service checks and stores them; the
// audit line carries the client's address.
#include "app/office.h"
#include "http/server.h"

namespace ogi::http {

Result<Attachment> store_attachment_file(Services& s, const Request& req, long long case_id,
                                         std::string name, const std::string& mime,
                                         const std::string& path) {
  auto stored = s.office.add_attachment_file(req.user(), case_id, std::move(name), mime, path);
  if (stored) audit(s, req, "attachment.add", std::to_string(case_id), stored->sha256);
  return stored;
}

}  // namespace ogi::http
