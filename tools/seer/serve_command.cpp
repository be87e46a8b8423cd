// `seer serve --model DIR`: a BAGEL checkpoint behind the Ollama API (and the rest of the http
// plugin's routes) in one command — the drop-in replacement for the seed's Flask
// bagel_api.py. With --config, the configuration's plugins and agents run too; its `http`
// and `bagel` instances give way to the ones the flags describe.
#include <seer/log.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "load_config.hpp"
#include "serve_until_signal.hpp"

namespace seer::cli {
namespace {

namespace json = boost::json;

struct ServeOptions {
  std::string model_dir;
  std::string config_file;
  std::string host = "127.0.0.1";
  int port = 8095;
  std::string model_name = "bagel-7b-mot";
  std::string device = "auto";
  std::string dtype;
  std::string decoder;
  std::string quant;
  std::string quantized_cache;
  int batch = 0;
  std::string tokenizer;
  std::string token_env;
  std::string tls_certificate;
  std::string tls_private_key;
  std::string tls_private_key_password_env;
  int workers = 8;  // as many as the largest batch, so concurrent clients decode together
  LogOverrides log;
};

// The two plugin sections the flags describe, as JSON (which YAML reads as it is).
std::string serve_sections(const ServeOptions& options) {
  json::object http{{"host", options.host}, {"port", options.port}, {"workers", options.workers}};
  if (!options.token_env.empty()) http["token_env"] = options.token_env;
  if (!options.tls_certificate.empty()) {
    http["tls_certificate"] = std::filesystem::absolute(options.tls_certificate).string();
    http["tls_private_key"] = std::filesystem::absolute(options.tls_private_key).string();
  }
  if (!options.tls_private_key_password_env.empty()) {
    http["tls_private_key_password_env"] = options.tls_private_key_password_env;
  }
  json::object bagel{{"model", std::filesystem::absolute(options.model_dir).string()},
                     {"model_name", options.model_name},
                     {"device", options.device}};
  if (!options.dtype.empty()) bagel["dtype"] = options.dtype;
  if (!options.decoder.empty()) bagel["decoder"] = options.decoder;
  if (!options.quant.empty()) bagel["quant"] = options.quant;
  if (!options.quantized_cache.empty()) {
    bagel["quantized_cache"] = std::filesystem::absolute(options.quantized_cache).string();
  }
  if (options.batch > 0) bagel["batch"] = options.batch;
  if (!options.tokenizer.empty()) bagel["tokenizer"] = options.tokenizer;
  // http first, so /healthz says "starting" while the checkpoint loads.
  return json::serialize(json::object{{"plugins", {{"http", http}, {"bagel", bagel}}}});
}

bool gives_way(const PluginInstanceConfig& instance) {
  return instance.instance == "http" || instance.instance == "bagel" || instance.plugin == "http";
}

int serve(const ServeOptions& options) {
  std::optional<LoadedConfig> loaded;
  if (options.config_file.empty()) {
    loaded = LoadedConfig{};
    loaded->root = ConfigNode::load_string("{}", "seer serve");
    loaded->runtime = read_runtime_config(loaded->root, loaded->diagnostics);
  } else {
    loaded = load_config(options.config_file);
    if (!loaded) return 2;
  }
  LoadedConfig flags;
  flags.root = ConfigNode::load_string(serve_sections(options), "seer serve flags");
  const RuntimeConfig served = read_runtime_config(flags.root, loaded->diagnostics);

  auto& plugins = loaded->runtime.plugins;
  for (const PluginInstanceConfig& instance : plugins) {
    if (gives_way(instance)) {
      std::cerr << "note: " << options.config_file << ": plugin instance '" << instance.instance
                << "' is replaced by seer serve's own (--host/--port/--model)\n";
    }
  }
  std::erase_if(plugins, gives_way);
  plugins.insert(plugins.begin(), served.plugins.begin(), served.plugins.end());
  const std::string described_as =
      options.model_dir +
      (options.config_file.empty() ? std::string() : " with " + options.config_file);
  return serve_until_signal(*loaded, described_as, options.log);
}

}  // namespace

void add_serve_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* command = app.add_subcommand(
      "serve", "Serve a BAGEL checkpoint over Ollama's API (plus a configuration's agents)");
  command->add_option("-m,--model", options->model_dir, "the checkpoint directory, as released")
      ->required()
      ->check(CLI::ExistingDirectory);
  command
      ->add_option("-c,--config", options->config_file,
                   "a configuration whose other plugins and agents run too")
      ->check(CLI::ExistingFile);
  command
      ->add_option("--host", options->host,
                   "address to listen on (not loopback: --token-env is required)")
      ->capture_default_str();
  command->add_option("-p,--port", options->port, "port (0: any free one, logged)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  command->add_option("--model-name", options->model_name, "the name clients use")
      ->capture_default_str();
  command
      ->add_option("--device", options->device,
                   "auto (the GPU when there is one), cpu, cuda, cuda:N")
      ->capture_default_str();
  command
      ->add_option("--dtype", options->dtype,
                   "float32, bfloat16 or float16 (default: float32 on the CPU, bfloat16 on a GPU)")
      ->check(CLI::IsMember({"float32", "bfloat16", "float16"}));
  command
      ->add_option("--decoder", options->decoder,
                   "auto (default: static on a GPU or with --quant, else eager), eager or static")
      ->check(CLI::IsMember({"auto", "eager", "static"}));
  command
      ->add_option("--quant", options->quant,
                   "none, int8, int4 or nf4: weight-only quantisation at load (static decoder)")
      ->check(CLI::IsMember({"none", "int8", "int4", "nf4"}));
  command->add_option("--quantized-cache", options->quantized_cache,
                      "file to save the quantised weights to and read them back from next time");
  command
      ->add_option("--batch", options->batch,
                   "requests the static decoder runs together (default: 4 on a GPU, 1 on the "
                   "CPU); at most --workers")
      ->check(CLI::Range(1, 8));
  command
      ->add_option("--tokenizer", options->tokenizer,
                   "a tokenizer.json instead of the checkpoint's own")
      ->check(CLI::ExistingFile);
  command->add_option("--token-env", options->token_env,
                      "the environment variable holding the bearer token clients must send");
  CLI::Option* certificate =
      command
          ->add_option("--tls-cert", options->tls_certificate,
                       "PEM certificate (then intermediates): serve HTTPS and wss:// instead")
          ->check(CLI::ExistingFile);
  CLI::Option* key =
      command->add_option("--tls-key", options->tls_private_key, "PEM private key of --tls-cert")
          ->check(CLI::ExistingFile);
  certificate->needs(key);
  key->needs(certificate);
  command
      ->add_option("--tls-key-password-env", options->tls_private_key_password_env,
                   "the environment variable holding an encrypted --tls-key's password")
      ->needs(key);
  command->add_option("--workers", options->workers, "generations running at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  add_log_options(*command, options->log);
  command->callback([options, &exit_code] { exit_code = serve(*options); });
}

}  // namespace seer::cli
