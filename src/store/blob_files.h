#pragma once
// Attachment bytes as files named by their SHA-256 in one folder (DB.attachments by default;
// several servers on one PostgreSQL database share one folder). Each file is written under a
// temporary name, fsynced, renamed and the folder fsynced, so after a crash a name holds either
// nothing or the whole file. Backups copy the folder beside the database copy.
#include <string>

#include "app/web_ports.h"

namespace ogi {

class FileBlobs final : public BlobStore {
 public:
  explicit FileBlobs(std::string dir) : dir_(std::move(dir)) {}
  Status put_file(const std::string& sha256, const std::string& path) override;
  Result<std::string> get(const std::string& sha256) override;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// Copies every blob of `from` missing in `to` (a hard link when both are on one file system,
// otherwise a durable copy); the number copied. A missing `from` copies nothing.
Result<long long> copy_blobs(const std::string& from, const std::string& to);

}  // namespace ogi
