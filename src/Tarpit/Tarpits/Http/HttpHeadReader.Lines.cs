namespace Tarpit.Tarpits.Http;

/// <summary>The request line and the field lines, byte by byte; each completed line parsed once.</summary>
internal sealed partial class HttpHeadReader
{
    /// <summary>The length of "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3).</summary>
    private const int VersionLength = 8;

    /// <summary>RFC 9112 §3: request-line = method SP request-target SP HTTP-version.</summary>
    private HttpParseStatus TakeRequestLine(byte b)
    {
        if (_cr)
        {
            // A CR is only allowed right before the LF (a CR inside the line makes every part of it invalid).
            return b == (byte)'\n' ? EndRequestLine() : HttpParseStatus.BadRequest;
        }

        if (b == (byte)'\n')
        {
            return EndRequestLine();
        }

        if (b == (byte)'\r')
        {
            _cr = true;
            return HttpParseStatus.Incomplete;
        }

        if (++_lineLength > HttpRequestParser.MaxLineLength)
        {
            return HttpParseStatus.UriTooLong;
        }

        Keep(b);
        switch (_part)
        {
            case Part.Method:
                if (b == (byte)' ')
                {
                    return StartPart(Part.Target);
                }

                return HttpRequestParser.IsMethodByte(b) ? HttpParseStatus.Incomplete : HttpParseStatus.BadRequest;
            case Part.Target:
                if (b == (byte)' ')
                {
                    return StartPart(Part.Version);
                }

                return HttpRequestParser.IsTargetByte(b) ? HttpParseStatus.Incomplete : HttpParseStatus.BadRequest;
            default:
                return _versionIndex < VersionLength && HttpRequestParser.IsVersionByte(_versionIndex++, b)
                    ? HttpParseStatus.Incomplete
                    : HttpParseStatus.BadRequest;
        }
    }

    /// <summary>A space ends the method or the target; neither may be empty.</summary>
    private HttpParseStatus StartPart(Part next)
    {
        if (_lineLength - 1 == _partStart)
        {
            return HttpParseStatus.BadRequest;
        }

        _part = next;
        _partStart = _lineLength;
        return HttpParseStatus.Incomplete;
    }

    private HttpParseStatus EndRequestLine()
    {
        if (!HttpRequestParser.ParseRequestLine(KeptLine, out _requestLine))
        {
            return HttpParseStatus.BadRequest;
        }

        // nginx parses the target before the version: "PRI * HTTP/2.0" is a 400, "GET / HTTP/2.0" a 505.
        if (!_requestLine.TargetValid)
        {
            return HttpParseStatus.BadRequest;
        }

        if (_requestLine.MajorVersion != 1)
        {
            return HttpParseStatus.VersionNotSupported;
        }

        NextLine(Part.Name);
        return HttpParseStatus.Incomplete;
    }

    /// <summary>RFC 9112 §5: field-line = field-name ":" OWS field-value OWS; an empty line ends the head.</summary>
    private HttpParseStatus TakeFieldLine(byte b)
    {
        if (_total > HttpRequestParser.MaxHeadLength)
        {
            return HttpParseStatus.HeaderTooLarge;
        }

        var overCount = _lineLength == 0 && _fieldCount >= HttpRequestParser.MaxHeaderCount;
        if (_cr)
        {
            if (b == (byte)'\n')
            {
                return EndFieldLine();
            }

            // The line is "\r" followed by more: not empty, so one field line too many, or invalid.
            return overCount ? HttpParseStatus.HeaderTooLarge : HttpParseStatus.BadRequest;
        }

        if (b == (byte)'\n')
        {
            return EndFieldLine();
        }

        if (b == (byte)'\r')
        {
            _cr = true;
            return HttpParseStatus.Incomplete;
        }

        if (overCount)
        {
            return HttpParseStatus.HeaderTooLarge;
        }

        if (++_lineLength > HttpRequestParser.MaxLineLength)
        {
            return HttpParseStatus.HeaderTooLarge;
        }

        if (_part == Part.Name)
        {
            return TakeName(b);
        }

        if (!HttpRequestParser.IsFieldValueByte(b))
        {
            return HttpParseStatus.BadRequest;
        }

        _capture.ValueByte(b);
        if (_keep)
        {
            Keep(b);
        }

        return HttpParseStatus.Incomplete;
    }

    private HttpParseStatus TakeName(byte b)
    {
        if (b == (byte)':')
        {
            // RFC 9112 §5.1: no whitespace between name and colon (400); §5.2: obs-fold (a line starting with
            // whitespace) may be rejected with 400, as nginx does. A field nothing reads is only validated.
            if (_lineLength == 1)
            {
                return HttpParseStatus.BadRequest;
            }

            _keep = _lineLength - 1 <= HttpRequestParser.HeaderFields.LongestKeptName
                && HttpRequestParser.HeaderFields.Keeps(KeptLine);
            _kept = _keep ? _kept : 0;
            if (_keep)
            {
                Keep(b);
            }

            _part = Part.Value;
            _capture.ValueStart();
            return HttpParseStatus.Incomplete;
        }

        if (!HttpRequestParser.IsTchar(b))
        {
            return HttpParseStatus.BadRequest;
        }

        _capture.NameByte(b);

        // A name longer than every kept one is not kept: its bytes need not be.
        if (_lineLength <= HttpRequestParser.HeaderFields.LongestKeptName)
        {
            Keep(b);
        }

        return HttpParseStatus.Incomplete;
    }

    private HttpParseStatus EndFieldLine()
    {
        if (_lineLength == 0)
        {
            return EndHead();
        }

        // A line without a colon is no field line.
        if (_part == Part.Name || (_keep && !_fields.Add(KeptLine)))
        {
            return HttpParseStatus.BadRequest;
        }

        _fieldCount++;
        _capture.End();
        NextLine(Part.Name);
        return HttpParseStatus.Incomplete;
    }

    private HttpParseStatus EndHead()
    {
        var line = _requestLine;

        // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request without a Host header field.
        if (line.MinorVersion >= 1 && _fields.Host is null)
        {
            return HttpParseStatus.BadRequest;
        }

        // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive". A request body is never
        // read, so such a connection is not reused (its body would be taken for the next request).
        var keepAlive = _fields.Close ? false : line.MinorVersion >= 1 || _fields.KeepAlive;
        keepAlive &= !_fields.HasBody;

        Request = new HttpRequest(
            line.Method,
            line.Target,
            line.MinorVersion,
            _fields.Host,
            _fields.UserAgent,
            _fields.Codings,
            _fields.User,
            _fields.Password,
            keepAlive,
            _total,
            line.IsIndex,
            _fields.Range)
        {
            Forwarding = _fields.Forwarding,
            ContentLength = _fields.ContentLength,
            Headers = _capture.Fields(),
            HeadersSeen = _capture.Seen,
        };
        return HttpParseStatus.Complete;
    }
}
