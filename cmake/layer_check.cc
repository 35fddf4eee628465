// The one source of each layer's link check (cmake/layers.cmake): the
// layer's whole archive is linked into a shared object with
// -Wl,--no-undefined against the layers and libraries it names, so a call
// into any other layer fails to link. This file adds nothing of its own.
