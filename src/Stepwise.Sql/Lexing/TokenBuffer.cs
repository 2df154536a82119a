namespace Stepwise.Sql.Lexing;

/// <summary>A growable token array sized from the input length, so a lex allocates a few arrays, not one
/// object per token.</summary>
internal struct TokenBuffer
{
    private Token[] _items;
    private int _count;

    public TokenBuffer(int textLength)
    {
        // Real SQL averages well over four characters per token; start there and grow by half.
        _items = new Token[Math.Clamp(textLength / 4, 16, 1 << 24)];
        _count = 0;
    }

    public readonly int Count => _count;

    public readonly Token Last => _count == 0 ? default : _items[_count - 1];

    public void Add(TokenKind kind, int start, int length, TokenFlags flags = TokenFlags.None)
    {
        if (_count == _items.Length)
        {
            Grow();
        }

        _items[_count++] = new Token(kind, start, length, flags);
    }

    public readonly Token[] ToArray()
    {
        if (_count == _items.Length)
        {
            return _items;
        }

        var result = new Token[_count];
        Array.Copy(_items, result, _count);
        return result;
    }

    private void Grow()
    {
        var size = (int)Math.Min((long)_items.Length + (_items.Length >> 1) + 16, Array.MaxLength);
        Array.Resize(ref _items, size);
    }
}
