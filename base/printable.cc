#include "base/printable.h"

#include <cstddef>
#include <cstdint>

namespace locksim {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendByteEscape(std::string& out, unsigned char byte) {
  out += "\\x";
  out += kHex[byte >> 4];
  out += kHex[byte & 0xf];
}

void AppendCodePointEscape(std::string& out, uint32_t code_point) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(code_point >> shift) & 0xf];
}

// Code points that are valid but must not reach a terminal as they are.
bool IsHidden(uint32_t c) {
  return (c >= 0x80 && c <= 0x9f) || c == 0x61c || (c >= 0x200b && c <= 0x200f) ||
         (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) || c == 0xfeff;
}

// The length of the valid UTF-8 sequence at text[i] (2 to 4 bytes) and its code point, or 0 when
// the bytes there are not one (a stray continuation byte, an overlong form, a surrogate, a code
// point past U+10FFFF, or a sequence cut short).
size_t DecodeMultiByte(std::string_view text, size_t i, uint32_t* code_point) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  // The sequence length, the lead byte's payload bits, and the least code point that needs
  // that many bytes (anything below is an overlong form).
  struct Form {
    size_t length;
    unsigned char payload_mask;
    uint32_t min;
  };
  Form form{};
  if (lead >= 0xc2 && lead <= 0xdf) {
    form = {2, 0x1f, 0x80};
  } else if (lead >= 0xe0 && lead <= 0xef) {
    form = {3, 0x0f, 0x800};
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    form = {4, 0x07, 0x10000};
  } else {
    return 0;
  }
  const size_t length = form.length;
  uint32_t c = lead & form.payload_mask;
  if (text.size() - i < length) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    c = c << 6 | (byte(i + k) & 0x3f);
  }
  if (c < form.min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
  *code_point = c;
  return length;
}

void AppendPrintable(std::string& out, std::string_view text, bool escape_quote) {
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      uint32_t code_point = 0;
      const size_t length = DecodeMultiByte(text, i, &code_point);
      if (length == 0) {
        AppendByteEscape(out, c);
        ++i;
      } else {
        if (IsHidden(code_point)) {
          AppendCodePointEscape(out, code_point);
        } else {
          out.append(text.substr(i, length));
        }
        i += length;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += escape_quote ? "\\\"" : "\"";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          AppendByteEscape(out, c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

}  // namespace

std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendPrintable(out, text, /*escape_quote=*/false);
  return out;
}

std::string QuotedPrintable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  AppendPrintable(out, text, /*escape_quote=*/true);
  out += '"';
  return out;
}

}  // namespace locksim
