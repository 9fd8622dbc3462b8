using System.Reflection;
using System.Reflection.Emit;

namespace Tarpit.Tests.Architecture;

/// <summary>
/// The namespace dependency graph of a compiled assembly, read with reflection: every type, nested and
/// compiler-generated ones folded into their top-level declaring type's namespace, depends on the namespaces of its
/// base type, interfaces, generic constraints, field, property and event types, method and constructor signatures,
/// attributes, and of everything its method bodies name (calls, field accesses, <c>newobj</c>, <c>typeof</c>, casts,
/// locals, catch clauses), found by decoding the IL. Only namespaces under the prefix given to <see cref="Of"/> count.
/// </summary>
internal sealed partial class NamespaceGraph
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly OpCode?[] OneByte = new OpCode?[256];
    private static readonly OpCode?[] TwoByte = new OpCode?[256];
    private static readonly SortedDictionary<string, string> NoTargets = [];

    // from -> to -> the first use seen ("Tarpit.Store.BanStore uses Tarpit.Bans.BanTarget"), for the failure message.
    private readonly SortedDictionary<string, SortedDictionary<string, string>> _edges = new(StringComparer.Ordinal);
    private readonly string _prefix;

    static NamespaceGraph()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            var value = (ushort)code.Value;
            if (code.Size == 1)
            {
                OneByte[value] = code;
            }
            else
            {
                TwoByte[value & 0xFF] = code;
            }
        }
    }

    private NamespaceGraph(string prefix) => _prefix = prefix;

    /// <summary>Every namespace under the prefix that declares a type, whether or not it has an edge.</summary>
    public SortedSet<string> Namespaces { get; } = new(StringComparer.Ordinal);

    /// <summary>The edges as sorted <c>A -> B</c> pairs.</summary>
    public IEnumerable<(string From, string To)> Edges =>
        _edges.SelectMany(from => from.Value.Keys.Select(to => (from.Key, to)));

    public static NamespaceGraph Of(Assembly assembly, string prefix)
    {
        var graph = new NamespaceGraph(prefix);
        foreach (var type in assembly.GetTypes())
        {
            if (graph.NamespaceOf(type) is { } from)
            {
                graph.Namespaces.Add(from);
                graph.AddType(type, from);
            }
        }

        return graph;
    }

    /// <summary>The first use seen that makes <paramref name="from"/> depend on <paramref name="to"/>.</summary>
    public string Evidence(string from, string to) => _edges[from][to];

    private SortedDictionary<string, string>.KeyCollection Targets(string node) =>
        (_edges.TryGetValue(node, out var targets) ? targets : NoTargets).Keys;

    private void AddType(Type type, string from)
    {
        var use = new Use(this, from, type);
        use.Type(type.BaseType);
        foreach (var face in type.GetInterfaces())
        {
            use.Type(face);
        }

        if (type.IsGenericTypeDefinition)
        {
            foreach (var parameter in type.GetGenericArguments())
            {
                use.Constraints(parameter);
            }
        }

        use.Attributes(type.GetCustomAttributesData());
        foreach (var field in type.GetFields(Declared))
        {
            use.Type(field.FieldType);
            use.Attributes(field.GetCustomAttributesData());
        }

        foreach (var property in type.GetProperties(Declared))
        {
            use.Type(property.PropertyType);
            use.Attributes(property.GetCustomAttributesData());
        }

        foreach (var @event in type.GetEvents(Declared))
        {
            use.Type(@event.EventHandlerType);
            use.Attributes(@event.GetCustomAttributesData());
        }

        foreach (var method in type.GetMethods(Declared))
        {
            use.Type(method.ReturnType);
            use.Attributes(method.ReturnParameter.GetCustomAttributesData());
            if (method.IsGenericMethodDefinition)
            {
                foreach (var parameter in method.GetGenericArguments())
                {
                    use.Constraints(parameter);
                }
            }

            AddMethod(use, method);
        }

        foreach (var constructor in type.GetConstructors(Declared))
        {
            AddMethod(use, constructor);
        }
    }

    private static void AddMethod(Use use, MethodBase method)
    {
        use.Attributes(method.GetCustomAttributesData());
        foreach (var parameter in method.GetParameters())
        {
            use.Type(parameter.ParameterType);
            use.Attributes(parameter.GetCustomAttributesData());
        }

        if (method.GetMethodBody() is not { } body)
        {
            return;
        }

        foreach (var local in body.LocalVariables)
        {
            use.Type(local.LocalType);
        }

        foreach (var clause in body.ExceptionHandlingClauses)
        {
            if (clause.Flags == ExceptionHandlingClauseOptions.Clause)
            {
                use.Type(clause.CatchType);
            }
        }

        if (body.GetILAsByteArray() is { } il)
        {
            DecodeBody(use, method, il);
        }
    }

    /// <summary>Walks the IL: every field, method, type or token operand is resolved and used; signatures and strings are skipped.</summary>
    private static void DecodeBody(Use use, MethodBase method, byte[] il)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var code = il[at] == 0xFE ? TwoByte[il[at + 1]] : OneByte[il[at]];
            if (code is not { } opcode)
            {
                throw new InvalidOperationException($"unknown IL opcode 0x{il[at]:X2} at offset {at} in {method.DeclaringType}.{method.Name}");
            }

            at += opcode.Size;
            switch (opcode.OperandType)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    use.Member(method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments)
                        ?? throw new InvalidOperationException($"unresolvable token at offset {at} in {method.DeclaringType}.{method.Name}"));
                    break;
                case OperandType.InlineSwitch:
                    at += 4 * BitConverter.ToInt32(il, at);
                    break;
            }

            at += OperandSize(opcode.OperandType);
        }
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        // InlineBrTarget, InlineField, InlineI, InlineMethod, InlineSig, InlineString, InlineSwitch (its count),
        // InlineTok, InlineType, ShortInlineR.
        _ => 4,
    };

    private string? NamespaceOf(Type type)
    {
        while (type.DeclaringType is { } outer && !type.IsGenericParameter)
        {
            type = outer;
        }

        var ns = type.Namespace;
        return ns is not null && (ns == _prefix || ns.StartsWith(_prefix + ".", StringComparison.Ordinal)) ? ns : null;
    }

    private void AddEdge(string from, Type fromType, Type toType)
    {
        if (NamespaceOf(toType) is not { } to || to == from)
        {
            return;
        }

        if (!_edges.TryGetValue(from, out var targets))
        {
            _edges[from] = targets = new SortedDictionary<string, string>(StringComparer.Ordinal);
        }

        targets.TryAdd(to, $"{TopLevel(fromType).FullName} uses {TopLevel(toType).FullName}");
    }

    private static Type TopLevel(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    /// <summary>Records what one type uses, looking through arrays, pointers, by-refs and generic arguments.</summary>
    private readonly struct Use(NamespaceGraph graph, string from, Type user)
    {
        public void Type(Type? type)
        {
            if (type is null)
            {
                return;
            }

            if (type.HasElementType)
            {
                Type(type.GetElementType());
                return;
            }

            if (type.IsGenericParameter)
            {
                return;
            }

            if (type.IsGenericType && !type.IsGenericTypeDefinition)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    Type(argument);
                }

                type = type.GetGenericTypeDefinition();
            }

            graph.AddEdge(from, user, type);
        }

        public void Constraints(Type parameter)
        {
            foreach (var constraint in parameter.GetGenericParameterConstraints())
            {
                Type(constraint);
            }
        }

        public void Member(MemberInfo member)
        {
            switch (member)
            {
                case Type type:
                    Type(type);
                    break;
                case MethodInfo method:
                    Type(method.DeclaringType);
                    if (method.IsGenericMethod)
                    {
                        foreach (var argument in method.GetGenericArguments())
                        {
                            Type(argument);
                        }
                    }

                    break;
                default:
                    Type(member.DeclaringType);
                    break;
            }
        }

        public void Attributes(IEnumerable<CustomAttributeData> attributes)
        {
            foreach (var attribute in attributes)
            {
                Type(attribute.AttributeType);
                foreach (var argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(n => n.TypedValue)))
                {
                    if (argument.Value is Type type)
                    {
                        Type(type);
                    }
                }
            }
        }
    }
}
