#pragma once

#include <cstddef>
#include <filesystem>
#include <span>

namespace seer::models::safetensors {

// A file written as `path`.tmp and renamed onto `path` only once complete and flushed to disk,
// so a crash or a full disk never leaves a partial file under `path`. Every failure throws
// std::system_error naming the file and the OS error; the temporary file is removed unless
// commit() succeeded.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path path);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  void write(std::span<const std::byte> bytes);
  // fsync, close, rename onto the final path, fsync the directory.
  void commit();

 private:
  std::filesystem::path path_;
  std::filesystem::path temp_path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace seer::models::safetensors
