#include <seer/event.hpp>

#include <random>

namespace seer {

TraceId new_trace_id() {
  // One generator per thread: no lock on the publish path.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  TraceId id = 0;
  while (id == 0) id = generator();
  return id;
}

}  // namespace seer
