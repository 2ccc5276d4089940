#include "store/blob_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ogi {

namespace fs = std::filesystem;

namespace {
bool is_sha256(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

Status fsync_path(const fs::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0)
    return make_error(Code::internal, "附件保存失败（" + std::string(strerror(errno)) + "）");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return make_error(Code::internal, "附件保存失败（无法写入磁盘）");
  return {};
}

// Writes `bytes` to `path` durably: temporary name, fsync, rename, fsync of the folder.
Status write_durably(const fs::path& path, const std::string& bytes) {
  const fs::path tmp = path.string() + ".part";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return make_error(Code::internal, "附件保存失败");
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return make_error(Code::internal, "附件保存失败（磁盘空间不足或无法写入）");
    }
    done += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  std::error_code ec;
  if (!synced) {
    fs::remove(tmp, ec);
    return make_error(Code::internal, "附件保存失败（无法写入磁盘）");
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return make_error(Code::internal, "附件保存失败");
  }
  return fsync_path(path.parent_path(), O_RDONLY | O_DIRECTORY);
}

Result<std::string> slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return make_error(Code::not_found, "附件文件缺失");
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}
}  // namespace

Status FileBlobs::put_file(const std::string& sha256, const std::string& path) {
  if (!is_sha256(sha256)) return make_error(Code::internal, "附件保存失败");
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return make_error(Code::internal, "附件保存失败（无法创建附件目录）");
  const fs::path dest = fs::path(dir_) / sha256;
  if (fs::exists(dest, ec)) return {};
  // Copied in under a temporary name, made durable, then renamed: never a partial file by name.
  if (Status s = fsync_path(path, O_RDONLY); !s) return s;
  const fs::path tmp = dest.string() + ".part";
  fs::copy_file(path, tmp, fs::copy_options::overwrite_existing, ec);
  if (ec) return make_error(Code::internal, "附件保存失败（磁盘空间不足或无法写入）");
  if (Status s = fsync_path(tmp, O_RDONLY); !s) {
    fs::remove(tmp, ec);
    return s;
  }
  fs::rename(tmp, dest, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return make_error(Code::internal, "附件保存失败");
  }
  return fsync_path(dest.parent_path(), O_RDONLY | O_DIRECTORY);
}

Result<std::string> FileBlobs::get(const std::string& sha256) {
  if (!is_sha256(sha256)) return make_error(Code::not_found, "附件文件缺失");
  return slurp(fs::path(dir_) / sha256);
}

Result<long long> copy_blobs(const std::string& from, const std::string& to) {
  std::error_code ec;
  if (!fs::is_directory(from, ec)) return 0LL;
  fs::create_directories(to, ec);
  if (ec) return make_error(Code::internal, "cannot create " + to + ": " + ec.message());
  long long n = 0;
  for (auto& e : fs::directory_iterator(from, ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || !is_sha256(name)) continue;  // skips half-written *.part files
    const fs::path dest = fs::path(to) / name;
    if (fs::exists(dest)) continue;
    fs::create_hard_link(e.path(), dest, ec);
    if (ec) {
      auto bytes = slurp(e.path());
      if (!bytes) return bytes.error();
      if (Status s = write_durably(dest, *bytes); !s) return s.error();
    }
    ++n;
  }
  if (ec) return make_error(Code::internal, "cannot read " + from + ": " + ec.message());
  if (Status s = fsync_path(to, O_RDONLY | O_DIRECTORY); !s) return s.error();
  return n;
}

}  // namespace ogi
