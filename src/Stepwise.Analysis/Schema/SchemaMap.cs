using System.Diagnostics.CodeAnalysis;

namespace Stepwise.Analysis.Schema;

/// <summary>A name → object map that can sit on top of a parent map: reads fall through to the parent and
/// copy what they find into this layer, so changes never reach the parent. Down migrations are linted on
/// such a layer; cloning the whole schema for each of them made lint quadratic in the history's length.</summary>
public sealed class SchemaMap<T>
    where T : class
{
    private readonly SchemaMap<T>? _parent;
    private readonly Func<T, T> _copy;

    // optional grouping (indexes by table) so "all values of group g" needn't scan every value
    private readonly Func<T, string>? _groupOf;
    private readonly Dictionary<string, HashSet<string>> _groups = new(StringComparer.Ordinal);

    // a null value is a tombstone: removed in this layer
    private readonly Dictionary<string, T?> _own = new(StringComparer.Ordinal);

    internal SchemaMap(Func<T, T> copy, Func<T, string>? groupOf = null, SchemaMap<T>? parent = null)
    {
        _copy = copy;
        _groupOf = groupOf;
        _parent = parent;
    }

    internal SchemaMap<T> Layer() => new(_copy, _groupOf, this);

    /// <summary>Finds a value; one inherited from the parent is copied into this layer first, so the caller may change it.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out T value)
    {
        if (_own.TryGetValue(key, out var own))
        {
            value = own;
            return own is not null;
        }

        if (_parent is not null && _parent.Peek(key) is { } inherited)
        {
            value = _copy(inherited);
            _own[key] = value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Reads without copying (the result must not be changed).</summary>
    private T? Peek(string key) => _own.TryGetValue(key, out var own) ? own : _parent?.Peek(key);

    /// <summary>Like <see cref="TryGetValue"/>: the value (copied into this layer when inherited), or null.</summary>
    public T? GetValueOrDefault(string key) => TryGetValue(key, out var value) ? value : null;

    /// <summary>True when the key has a value here or in a parent (and was not removed in this layer).</summary>
    public bool ContainsKey(string key) => Peek(key) is not null;

    /// <summary>Gets a value as <see cref="TryGetValue"/> does (throws <see cref="KeyNotFoundException"/> when
    /// absent), or stores one in this layer.</summary>
    public T this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
        set
        {
            _own[key] = value;
            if (_groupOf is not null)
            {
                var group = _groupOf(value);
                if (!_groups.TryGetValue(group, out var keys))
                {
                    _groups[group] = keys = new HashSet<string>(StringComparer.Ordinal);
                }

                keys.Add(key);
            }
        }
    }

    /// <summary>The values whose group is <paramref name="group"/>, as changeable copies in this layer. A value
    /// whose group changed must be stored again (this[key] = value) to be found under its new group.</summary>
    public List<T> InGroup(string group)
    {
        if (_groupOf is null)
        {
            throw new InvalidOperationException("this map has no groups");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var layer = this; layer is not null; layer = layer._parent)
        {
            if (layer._groups.TryGetValue(group, out var own))
            {
                keys.UnionWith(own);
            }
        }

        var result = new List<T>(keys.Count);
        foreach (var key in keys)
        {
            if (Peek(key) is { } current && string.Equals(_groupOf(current), group, StringComparison.Ordinal))
            {
                result.Add(this[key]);
            }
        }

        return result;
    }

    /// <summary>Removes a key in this layer (the parent keeps it); false when it has no value.</summary>
    public bool Remove(string key) => Remove(key, out _);

    /// <summary>Removes a key in this layer (the parent keeps it) and gives back its value; false when it has none.</summary>
    public bool Remove(string key, [MaybeNullWhen(false)] out T value)
    {
        if (!TryGetValue(key, out value))
        {
            return false;
        }

        if (_parent is null)
        {
            _own.Remove(key);
        }
        else
        {
            _own[key] = null;
        }

        return true;
    }

    /// <summary>All values, read-only (inherited ones are not copied).</summary>
    public IEnumerable<T> Values => Entries().Select(e => e.Value);

    private IEnumerable<KeyValuePair<string, T>> Entries()
    {
        foreach (var (key, value) in _own)
        {
            if (value is not null)
            {
                yield return new KeyValuePair<string, T>(key, value);
            }
        }

        if (_parent is null)
        {
            yield break;
        }

        foreach (var entry in _parent.Entries())
        {
            if (!_own.ContainsKey(entry.Key))
            {
                yield return entry;
            }
        }
    }
}
