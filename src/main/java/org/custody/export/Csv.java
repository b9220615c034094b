package org.custody.export;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundle's spreadsheets: RFC 4180 (comma-separated, fields quoted when they hold a comma, quote or line break,
 * CRLF between records), UTF-8 with a byte-order mark so that spreadsheet programs read Armenian and Cyrillic names
 * correctly. A cell that a spreadsheet would run as a formula (it starts with =, +, -, @, tab or carriage return) is
 * prefixed with an apostrophe, as OWASP advises against CSV injection; VERIFY.md says so.
 */
public final class Csv {
    static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private Csv() {}

    public static String row(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(quoted(neutralised(cells.get(i))));
        }
        return line.append("\r\n").toString();
    }

    static String neutralised(String cell) {
        if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
            return "'" + cell;
        }
        return cell;
    }

    private static String quoted(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    /** Reads a file written by {@link #row}: the byte-order mark is required, records end with CRLF. */
    public static List<List<String>> parse(byte[] file) throws MalformedCsvException {
        if (file.length < 3 || file[0] != BOM[0] || file[1] != BOM[1] || file[2] != BOM[2]) {
            throw new MalformedCsvException("does not start with the UTF-8 byte-order mark");
        }
        String text = new String(file, 3, file.length - 3, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        boolean quoted = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
                i++;
            } else if (c == '"' && cell.isEmpty()) {
                quoted = true;
                i++;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
                i++;
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i += 2;
            } else {
                cell.append(c);
                i++;
            }
        }
        if (quoted) {
            throw new MalformedCsvException("ends inside a quoted field");
        }
        if (!cell.isEmpty() || !row.isEmpty()) {
            throw new MalformedCsvException("does not end with CRLF");
        }
        return rows;
    }

    public static final class MalformedCsvException extends Exception {
        MalformedCsvException(String message) {
            super(message);
        }
    }
}
