// OfficeService's attachments: one place for the checks (name, type, size) and the storage
// (through the BlobStore port, once per SHA-256, durable before the row is written).
#include <algorithm>
#include <filesystem>

#include "app/auth.h"
#include "app/office.h"
#include "app/policy.h"

namespace ogi {

namespace {
constexpr const char* kAllowed[] = {".pdf", ".jpg",  ".jpeg", ".png", ".doc", ".docx",
                                    ".xls", ".xlsx", ".txt",  ".ofd", ".zip"};
}

const char* OfficeService::allowed_attachment_types() {
  return "pdf, jpg, jpeg, png, doc, docx, xls, xlsx, txt, ofd, zip";
}

Result<std::vector<Attachment>> OfficeService::attachments(const User& u, long long case_id) {
  if (Status st = may(wf_, u, "case.read"); !st) return st.error();
  if (auto v = case_service_.show(u, case_id); !v) return v.error();  // the agency check
  return queries_.attachments(case_id);
}

Result<Attachment> OfficeService::attachment(const User& u, long long id) {
  if (Status st = may(wf_, u, "case.read"); !st) return st.error();
  auto a = queries_.attachment(id);
  if (!a) return a.error().code == Code::not_found ? not_visible("附件") : a.error();
  if (auto v = case_service_.show(u, a->case_id); !v)
    return v.error().code == Code::forbidden ? not_visible("附件") : v.error();
  return a;
}

Result<std::pair<Attachment, std::string>> OfficeService::attachment_file(const User& u,
                                                                          long long id) {
  auto a = attachment(u, id);
  if (!a) return a.error();
  if (!blobs_) return make_error(Code::internal, "附件文件缺失");
  auto bytes = blobs_->get(a->sha256);
  if (!bytes) return bytes.error();
  return std::pair{std::move(*a), std::move(*bytes)};
}

// The checks every way in shares: the case visible, the name (no path, no control character, an
// allowed type), not empty. The cleaned name.
Result<std::string> OfficeService::attachment_name(const User& u, long long case_id,
                                                   std::string name, long long size) {
  if (Status st = may(wf_, u, "case.attach"); !st) return st.error();
  if (auto v = case_service_.show(u, case_id); !v) return v.error();
  // A control character (NUL above all) could hide the real type from a client that stops there.
  for (unsigned char ch : name)
    if (ch < 0x20 || ch == 0x7f)
      return make_error(Code::invalid, "name: 文件名含有控制字符", "name");
  const size_t slash = name.find_last_of("/\\");
  name = name.substr(slash == std::string::npos ? 0 : slash + 1);
  if (name.empty() || name.size() > 200 || name.find("..") != std::string::npos)
    return make_error(Code::invalid, "name: 文件名无效", "name");
  std::string ext = std::filesystem::path(name).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (std::find(std::begin(kAllowed), std::end(kAllowed), ext) == std::end(kAllowed))
    return make_error(Code::invalid,
                      "name: 不允许的文件类型（" + ext + "），允许：" + allowed_attachment_types(),
                      "name");
  if (size <= 0) return make_error(Code::invalid, "file: 文件为空", "file");
  if (!blobs_) return make_error(Code::internal, "附件保存失败");
  return name;
}

Result<Attachment> OfficeService::record_attachment(const User& u, long long case_id,
                                                    std::string name, const std::string& mime,
                                                    std::string sha256, long long size) {
  Attachment a;
  a.case_id = case_id;
  a.sha256 = std::move(sha256);
  a.name = std::move(name);
  a.mime = mime.empty() ? "application/octet-stream" : mime;
  a.size = size;
  a.uploaded_by = u.username;
  a.uploaded_at = clock_.now_timestamp();
  return queries_.add_attachment(a);
}

Result<Attachment> OfficeService::add_attachment_file(const User& u, long long case_id,
                                                      std::string name, const std::string& mime,
                                                      const std::string& path) {
  // Checked first (who, which case, the name, not empty), then the digest read a block at a time.
  std::error_code ec;
  const auto size = static_cast<long long>(std::filesystem::file_size(path, ec));
  if (ec) return make_error(Code::internal, "附件保存失败");
  auto clean = attachment_name(u, case_id, std::move(name), size);
  if (!clean) return clean.error();
  const std::string sha = sha256_file_hex(path);
  if (sha.empty()) return make_error(Code::internal, "附件保存失败");
  if (Status st = blobs_->put_file(sha, path); !st) return st.error();
  return record_attachment(u, case_id, std::move(*clean), mime, sha, size);
}

}  // namespace ogi
