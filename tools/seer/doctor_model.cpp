// `seer doctor`: checkpoint directories: the release's files, a readable safetensors header
// (models/'s parser, free of libtorch), the key layout (with libtorch) and SHA256SUMS.
#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>
#include <sstream>

#include "doctor_checks.hpp"
#include "safetensors/header.hpp"
#include "safetensors/mapped_file.hpp"

namespace seer::cli::doctor {
namespace fs = std::filesystem;
namespace {

constexpr const char* kManifest = "SHA256SUMS";

std::string gigabytes(std::uintmax_t bytes) {
  std::ostringstream text;
  text.precision(bytes >= 1'000'000'000 ? 3 : 2);
  text << static_cast<double>(bytes) / 1e9 << " GB";
  return text.str();
}

// The lowercase hex SHA-256 of a file, read in 1 MiB pieces.
std::string sha256_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  &EVP_MD_CTX_free);
  EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
  std::vector<char> buffer(1 << 20);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    EVP_DigestUpdate(context.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(context.get(), digest.data(), &length);
  std::string hex;
  static constexpr char kDigits[] = "0123456789abcdef";
  for (unsigned int i = 0; i < length; ++i) {
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 0xf];
  }
  return hex;
}

// The files the engine reads; a missing one is a fail.
Finding check_files(const fs::path& directory, const std::string& subject) {
  std::vector<std::string> missing;
  for (const char* name : {"llm_config.json", "vit_config.json", "ema.safetensors"}) {
    std::error_code error;
    if (!fs::is_regular_file(directory / name, error)) missing.emplace_back(name);
  }
  if (missing.empty())
    return {Status::ok, subject, "llm_config.json, vit_config.json, ema.safetensors", {}};
  std::string listed;
  for (const auto& name : missing) listed += (listed.empty() ? "" : ", ") + name;
  return {Status::fail, subject, "incomplete: " + listed + " missing",
          "download the whole checkpoint into this directory (docs/models.md: "
          "huggingface-cli download ByteDance-Seed/BAGEL-7B-MoT --local-dir DIR)"};
}

Finding check_tokenizer(const fs::path& directory, const std::string& subject) {
  std::error_code error;
  if (fs::is_regular_file(directory / "tokenizer.json", error) ||
      (fs::is_regular_file(directory / "vocab.json", error) &&
       fs::is_regular_file(directory / "merges.txt", error))) {
    return {Status::ok, subject, "tokenizer files present", {}};
  }
  return {Status::warn, subject,
          "no tokenizer.json (nor vocab.json + merges.txt): the bagel plugin needs its "
          "`tokenizer:` key (seer serve: --tokenizer)",
          "download the release's tokenizer files too, or point `tokenizer:` at a tokenizer.json"};
}

// The whole header of ema.safetensors, validated as the loader does, without reading tensors.
Finding check_header(const fs::path& directory, const std::string& subject) {
  const fs::path file = directory / "ema.safetensors";
  try {
    const models::safetensors::MappedFile mapped(file);
    const auto header = models::safetensors::parse_header(mapped.bytes());
    return {Status::ok,
            subject,
            "ema.safetensors: " + std::to_string(header.entries.size()) + " tensors, " +
                gigabytes(mapped.bytes().size()) + ", header and byte ranges valid",
            {}};
  } catch (const std::exception& error) {
    return {Status::fail, subject,
            "incomplete: ema.safetensors is unreadable or truncated: " + std::string(error.what()),
            "the download was cut short or the file is damaged: fetch ema.safetensors again "
            "(the release's is 29.2 GB)"};
  }
}

// Each line of SHA256SUMS ("<hex>  <file>", as sha256sum writes it) checked.
Finding check_manifest(const fs::path& directory, const std::string& subject) {
  const fs::path manifest = directory / kManifest;
  std::ifstream in(manifest);
  if (!in) {
    return {Status::ok,
            subject,
            std::string("no ") + kManifest + " to check checksums against (`sha256sum * > " +
                kManifest + "` in a known-good copy makes one)",
            {}};
  }
  std::vector<std::string> mismatched;
  std::size_t checked = 0;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string expected, name;
    if (!(fields >> expected >> name)) continue;
    if (name.starts_with('*')) name.erase(0, 1);  // sha256sum's binary-mode marker
    ++checked;
    try {
      if (sha256_of(directory / name) != expected) mismatched.push_back(name);
    } catch (const std::exception&) {
      mismatched.push_back(name + " (unreadable)");
    }
  }
  if (mismatched.empty()) {
    return {Status::ok, subject, std::to_string(checked) + " file(s) match " + kManifest, {}};
  }
  std::string listed;
  for (const auto& name : mismatched) listed += (listed.empty() ? "" : ", ") + name;
  return {Status::fail, subject,
          "checksum mismatch against " + std::string(kManifest) + ": " + listed,
          "these files differ from the ones the manifest was made from: download them again"};
}

}  // namespace

Findings check_models(const std::vector<fs::path>& directories, bool checksums) {
  Findings findings;
  if (directories.empty()) {
    findings.push_back({Status::ok,
                        "model",
                        "none to check (give --model DIR, or --config with a bagel section)",
                        {}});
    return findings;
  }
  for (const auto& directory : directories) {
    const std::string subject = "model " + directory.string();
    std::error_code error;
    if (!fs::is_directory(directory, error)) {
      findings.push_back({Status::fail, subject, "not a directory (or not readable)",
                          "check the path; the service (user seer) reads /var/lib/seer and "
                          "/opt, not /home (docs/install.md)"});
      continue;
    }
    const Finding files = check_files(directory, subject);
    findings.push_back(files);
    findings.push_back(check_tokenizer(directory, subject));
    if (files.status == Status::fail) continue;
    const Finding header = check_header(directory, subject);
    findings.push_back(header);
    if (header.status == Status::fail) continue;
#ifdef SEER_WITH_MODELS
    findings.push_back(check_model_layout(directory));
#else
    findings.push_back(
        {Status::ok, subject, "key layout not checked: this seer is built without libtorch", {}});
#endif
    if (checksums) findings.push_back(check_manifest(directory, subject));
  }
  return findings;
}

}  // namespace seer::cli::doctor
