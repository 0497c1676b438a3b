# Standalone Asio (Debian's libasio-dev): header-only, no Boost, and no CMake package of its own.
# Defines Asio::Asio, an interface target with its include directory and the threads it needs.
find_path(Asio_INCLUDE_DIR NAMES asio.hpp)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Asio REQUIRED_VARS Asio_INCLUDE_DIR)
if(Asio_FOUND AND NOT TARGET Asio::Asio)
  find_package(Threads REQUIRED)
  add_library(Asio::Asio INTERFACE IMPORTED)
  # ASIO_STANDALONE: never reach for Boost; ASIO_NO_DEPRECATED: only the current API.
  # ASIO_DISABLE_STD_ALIGNED_ALLOC: Asio 1.22 decides whether to allocate handlers with
  # aligned_alloc from a libstdc++ macro that exists only if a standard header came before Asio's,
  # so files including Asio first and files including it later got different inline allocators,
  # and the linker paired one's allocation with the other's free (ASan: alloc-dealloc-mismatch).
  # Disabled, every file uses operator new and delete.
  set_target_properties(Asio::Asio PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${Asio_INCLUDE_DIR}"
    INTERFACE_COMPILE_DEFINITIONS "ASIO_STANDALONE;ASIO_NO_DEPRECATED;ASIO_DISABLE_STD_ALIGNED_ALLOC"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
endif()
