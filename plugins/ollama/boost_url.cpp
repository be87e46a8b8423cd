// Boost.URL compiled into this plugin: Debian ships its headers without the library.
#include <boost/url/src.hpp>
