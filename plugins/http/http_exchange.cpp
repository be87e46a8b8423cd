#include "http_exchange.hpp"

#include <boost/json/serialize.hpp>

namespace seer::http {

HttpExchange::HttpExchange(HttpRequest request, std::uint64_t id, Deliver deliver,
                           std::size_t unsent_limit)
    : request_(std::move(request)),
      id_(id),
      deliver_(std::move(deliver)),
      unsent_limit_(unsent_limit) {}

void HttpExchange::add_header(std::string name, std::string value) {
  const std::lock_guard lock(mutex_);
  if (!replied_) headers_.emplace_back(std::move(name), std::move(value));
}

void HttpExchange::respond(HttpStatus status, std::string_view content_type, std::string body) {
  HeaderFields headers;
  {
    const std::lock_guard lock(mutex_);
    if (replied_) return;
    replied_ = true;
    finished_ = true;
    status_ = status;
    headers = std::move(headers_);
  }
  deliver_({ReplyPart::Kind::whole, status, std::string(content_type), std::move(body),
            std::move(headers)});
}

void HttpExchange::respond_json(HttpStatus status, const boost::json::value& body) {
  respond(status, "application/json; charset=utf-8", boost::json::serialize(body));
}

void HttpExchange::respond_error(HttpStatus status, std::string_view message) {
  respond_json(status, boost::json::object{{"error", message}});
}

void HttpExchange::begin_stream(std::string_view content_type) {
  HeaderFields headers;
  {
    const std::lock_guard lock(mutex_);
    if (replied_) return;
    replied_ = true;
    streaming_ = true;
    headers = std::move(headers_);
  }
  deliver_({ReplyPart::Kind::stream_head,
            HttpStatus::ok,
            std::string(content_type),
            {},
            std::move(headers)});
}

bool HttpExchange::write(std::string chunk) {
  const std::stop_token stop = stop_.get_token();
  {
    std::unique_lock lock(mutex_);
    if (!streaming_ || finished_) return false;
    drained_.wait(lock, stop, [this] { return unsent_ <= unsent_limit_; });
    if (stop.stop_requested()) return false;
    unsent_ += chunk.size();
  }
  deliver_({ReplyPart::Kind::chunk, HttpStatus::ok, {}, std::move(chunk), {}});
  return true;
}

void HttpExchange::finish_stream() {
  {
    const std::lock_guard lock(mutex_);
    if (!streaming_ || finished_) return;
    finished_ = true;
  }
  deliver_({ReplyPart::Kind::stream_end, HttpStatus::ok, {}, {}, {}});
}

bool HttpExchange::replied() const {
  const std::lock_guard lock(mutex_);
  return replied_;
}

bool HttpExchange::streaming() const {
  const std::lock_guard lock(mutex_);
  return streaming_;
}

HttpStatus HttpExchange::status() const {
  const std::lock_guard lock(mutex_);
  return status_;
}

void HttpExchange::cancel() {
  stop_.request_stop();
  drained_.notify_all();
}

void HttpExchange::sent(std::size_t bytes) {
  {
    const std::lock_guard lock(mutex_);
    unsent_ -= std::min(bytes, unsent_);
  }
  drained_.notify_all();
}

}  // namespace seer::http
