#include "util/thread_name.hpp"

#include <pthread.h>

namespace rqwatch::util {
void SetThreadName(const char* name) { pthread_setname_np(pthread_self(), name); }
}  // namespace rqwatch::util
