#include "safetensors/writer_atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <system_error>
#include <utility>

namespace seer::models::safetensors {
namespace {

[[noreturn]] void throw_os_error(int error, const std::string& action,
                                 const std::filesystem::path& path) {
  throw std::system_error(error, std::generic_category(), action + " " + path.string());
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path path)
    : path_(std::move(path)), temp_path_(path_.string() + ".tmp") {
  fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_os_error(errno, "cannot create", temp_path_);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

void AtomicFile::write(std::span<const std::byte> bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      throw_os_error(errno, "cannot write", temp_path_);
    }
    bytes = bytes.subspan(static_cast<std::size_t>(written));
  }
}

void AtomicFile::commit() {
  if (::fsync(fd_) != 0) throw_os_error(errno, "cannot flush", temp_path_);
  const int fd = std::exchange(fd_, -1);
  // close() reports errors that delayed writes (NFS, quotas) hit only now.
  if (::close(fd) != 0) throw_os_error(errno, "cannot close", temp_path_);
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    throw_os_error(errno, "cannot rename " + temp_path_.string() + " to", path_);
  }
  committed_ = true;
  // The rename itself is durable only once the directory is on disk too.
  std::filesystem::path directory = path_.parent_path();
  if (directory.empty()) directory = ".";
  const int dir_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

}  // namespace seer::models::safetensors
