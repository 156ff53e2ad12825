#pragma once
// RAII owners for GLib/GMime allocations, so that every early return in the
// parser releases what it took (hostile mail takes many early returns).

#include <glib-object.h>
#include <glib.h>

#include <memory>

namespace rqwatch::mime {

struct GObjectUnref {
    void operator()(void* object) const noexcept {
        if (object != nullptr) g_object_unref(object);
    }
};

// Owns one reference of a GObject (GMimeStream, GMimeParser, GMimeMessage, ...).
template <class T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
    void operator()(void* memory) const noexcept { g_free(memory); }
};

// Owns a g_malloc'ed string returned by GLib/GMime ("transfer full").
using GCharPtr = std::unique_ptr<char, GFree>;

}  // namespace rqwatch::mime
