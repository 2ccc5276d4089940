// Attachments: one place for the checks (name, type, size) and the storage (once per SHA-256,
// written to a temporary name and renamed, so a partial file is never visible).
#include <filesystem>
#include <fstream>

#include "app/policy.h"
#include "app/users.h"
#include "http/server.h"

namespace ogi::http {

namespace {
constexpr const char* kAllowed[] = {".pdf", ".jpg",  ".jpeg", ".png", ".doc", ".docx",
                                    ".xls", ".xlsx", ".txt",  ".ofd", ".zip"};
}

const char* allowed_attachment_types() {
  return "pdf, jpg, jpeg, png, doc, docx, xls, xlsx, txt, ofd, zip";
}

Result<Attachment> store_attachment(Services& s, const Request& req, long long case_id,
                                    std::string name, const std::string& mime,
                                    const std::string& bytes) {
  // The same rule on every way in (API and page).
  if (Status st = may(s.workflow, req.user(), "case.attach"); !st) return st.error();
  // A control character (NUL above all) could hide the real type from a client that stops there.
  for (unsigned char ch : name)
    if (ch < 0x20 || ch == 0x7f)
      return make_error(Code::invalid, "name: 文件名含有控制字符", "name");
  name =
      name.substr(name.find_last_of("/\\") == std::string::npos ? 0 : name.find_last_of("/\\") + 1);
  if (name.empty() || name.size() > 200 || name.find("..") != std::string::npos)
    return make_error(Code::invalid, "name: 文件名无效", "name");
  std::string ext = std::filesystem::path(name).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (std::find(std::begin(kAllowed), std::end(kAllowed), ext) == std::end(kAllowed))
    return make_error(Code::invalid,
                      "name: 不允许的文件类型（" + ext + "），允许：" + allowed_attachment_types(),
                      "name");
  if (bytes.empty()) return make_error(Code::invalid, "file: 文件为空", "file");
  Attachment a;
  a.case_id = case_id;
  a.sha256 = sha256_hex(bytes);
  a.name = name;
  a.mime = mime.empty() ? "application/octet-stream" : mime;
  a.size = static_cast<long long>(bytes.size());
  a.uploaded_by = req.user().username;
  a.uploaded_at = s.clock.now_timestamp();
  std::error_code ec;
  std::filesystem::create_directories(s.attachments_dir, ec);
  auto path = std::filesystem::path(s.attachments_dir) / a.sha256;
  if (!std::filesystem::exists(path)) {
    auto tmp = path.string() + ".part";
    {
      std::ofstream out(tmp, std::ios::binary);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      if (!out) return make_error(Code::internal, "附件保存失败");
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) return make_error(Code::internal, "附件保存失败");
  }
  auto stored = s.office.add_attachment(req.user(), a);
  if (stored) audit(s, req, "attachment.add", std::to_string(case_id), a.sha256);
  return stored;
}

}  // namespace ogi::http
