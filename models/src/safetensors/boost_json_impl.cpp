// Boost.JSON compiled into this library (header-only use): the GPU box has Boost's headers but
// not its compiled libraries. Exactly one translation unit of seer-models may include this.
#include <boost/json/src.hpp>
